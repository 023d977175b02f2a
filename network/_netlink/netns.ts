// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Network namespaces through libc: open a namespace file, run a synchronous
// function with the calling thread inside a namespace and switch it straight
// back (section 9.6 of the spec). Only synchronous code may run inside: an
// await would let Deno's own ops run on this thread in the wrong namespace.

import { AosError } from "../../utils/errors.ts";
import { cString, errno, libc } from "../../utils/_libc.ts";
import { NetworkError, type NetworkErrorContext } from "../errors.ts";

const O_RDONLY = 0;
const O_CLOEXEC = 0x80000;
export const CLONE_NEWNET = 0x40000000;
/** The calling thread's own network namespace (a thread may differ from its process). */
export const THREAD_NETNS = "/proc/thread-self/ns/net";

let corrupted: AosError | undefined;

/**
 * Opens a namespace file (`/run/netns/<name>`, `/proc/<pid>/ns/net`) read-only.
 *
 * @returns The file descriptor; the caller closes it.
 */
export function openNetns(path: string, context: NetworkErrorContext): number {
  const fd = libc().open(cString(path, "namespace path"), O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    throw NetworkError.forErrno(errno(), context, { what: `failed to open netns ${path}` });
  }
  return fd;
}

/**
 * Runs `fn` with the calling thread in the namespace of `path` and returns to
 * the thread's own namespace before returning or throwing. When the way back
 * fails, the process is marked as corrupted and every later call throws.
 */
export function inNetns<T>(path: string, context: NetworkErrorContext, fn: () => T): T {
  return switched(context, () => {
    const target = openNetns(path, context);
    try {
      if (libc().setns(target, CLONE_NEWNET) !== 0) {
        throw NetworkError.forErrno(errno(), context, { what: `failed to enter netns ${path}` });
      }
    } finally {
      libc().close(target);
    }
  }, fn);
}

/**
 * Runs `fn` with the calling thread in a new, unnamed network namespace and
 * returns to its own namespace afterwards. The new namespace lives as long as
 * something `fn` made in it (a socket, a bind mount) holds it.
 */
export function inNewNetns<T>(context: NetworkErrorContext, fn: () => T): T {
  return switched(context, () => {
    if (libc().unshare(CLONE_NEWNET) !== 0) {
      throw NetworkError.forErrno(errno(), context, { what: "failed to create a netns" });
    }
  }, fn);
}

/** Keeps the thread's own namespace, switches with `enter`, runs `fn`, and switches back. */
function switched<T>(context: NetworkErrorContext, enter: () => void, fn: () => T): T {
  if (corrupted !== undefined) throw corrupted;
  const own = openNetns(THREAD_NETNS, context);
  try {
    enter();
    try {
      return fn();
    } finally {
      leave(own);
    }
  } finally {
    libc().close(own);
  }
}

function leave(own: number): void {
  if (libc().setns(own, CLONE_NEWNET) === 0) return;
  corrupted = AosError.fromErrno(
    errno(),
    "Cannot return the main thread to its network namespace; the process must restart",
  );
  throw corrupted;
}
