// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Interface names: the kernel's rules, checked before any system call, and the
// FNV-1a names AosCore gives an instance's host-side veth and its IFB.

import { invalidArgument, type NetworkErrorContext } from "./errors.ts";

/** The longest interface name the kernel takes, in bytes (IFNAMSIZ − 1). */
export const MAX_INTERFACE_NAME_BYTES = 15;

const encoder = new TextEncoder();

/**
 * Reports why `name` cannot be an interface name, or `undefined` when it can:
 * the kernel takes 1..15 bytes, without `/`, `:` or white space, and not `.`
 * or `..`.
 *
 * @example
 * ```ts
 * import { interfaceNameProblem } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(interfaceNameProblem("eth0"), undefined);
 * assert.match(interfaceNameProblem("a-name-that-is-too-long")!, /longer than 15 bytes/);
 * ```
 *
 * @param name The candidate name.
 * @returns The problem, or `undefined` for a valid name.
 */
export function interfaceNameProblem(name: string): string | undefined {
  if (typeof name !== "string" || name === "") return "the name is empty";
  if (encoder.encode(name).length > MAX_INTERFACE_NAME_BYTES) {
    return `the name is longer than ${MAX_INTERFACE_NAME_BYTES} bytes`;
  }
  if (name === "." || name === "..") return `the name cannot be "${name}"`;
  if (/[/:\s\0]/.test(name)) return "the name holds '/', ':', a NUL or white space";
  return undefined;
}

/**
 * Throws `invalidArgument` unless `name` is a valid interface name.
 *
 * @param name The name to check.
 * @param context The operation, for the error.
 */
export function checkInterfaceName(name: string, context: NetworkErrorContext): void {
  const problem = interfaceNameProblem(name);
  if (problem !== undefined) {
    throw invalidArgument(
      { ...context, interface: String(name) },
      `bad interface name: ${problem}`,
    );
  }
}

/**
 * FNV-1a, 32 bits, over the UTF-8 bytes of `text`, as 8 lower-case hex digits.
 *
 * @param text The text to hash.
 * @returns The hash.
 */
function fnv1a32Hex(text: string): string {
  let hash = 2166136261;
  for (const byte of encoder.encode(text)) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

/**
 * The name AosCore gives the host-side veth of an instance: `veth` and the
 * FNV-1a-32 hash of the instance ID.
 *
 * @example
 * ```ts
 * import { hostVethName } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hostVethName("instance-1"), "vethfa923a94");
 * ```
 *
 * @param instanceId The instance ID.
 * @returns A name of 12 bytes.
 */
export function hostVethName(instanceId: string): string {
  return `veth${fnv1a32Hex(instanceId)}`;
}

/**
 * The name of the IFB device that carries an interface's ingress traffic for
 * shaping: `ifb-` and the FNV-1a-32 hash of the interface name.
 *
 * @example
 * ```ts
 * import { ifbName } from "@aoscore/common/network";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ifbName("vethfa923a94"), "ifb-7e21268f");
 * ```
 *
 * @param ifname The shaped interface.
 * @returns A name of 12 bytes.
 */
export function ifbName(ifname: string): string {
  return `ifb-${fnv1a32Hex(ifname)}`;
}
