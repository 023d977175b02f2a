// Copyright 2026 the aos-common authors. Apache-2.0 license.

/**
 * Runs synchronous work behind an async API: its result as a resolved
 * promise, anything it throws as a rejection (never a synchronous throw).
 */
export function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
