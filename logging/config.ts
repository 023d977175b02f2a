// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Limits and defaults of log archives.
 *
 * @module
 */

import type { LoggingConfig } from "./types.ts";

/** Most compressed bytes one `pushLog` part may carry (256 KiB). */
export const MAX_LOG_CONTENT_SIZE = 262_144;

/**
 * The service manager's defaults: parts of 256 KiB of text, at most 80 part
 * boundaries (so 81 parts).
 */
export const DEFAULT_LOGGING_CONFIG: Readonly<LoggingConfig> = Object.freeze({
  maxPartSize: 262_144,
  maxPartCount: 80,
});
