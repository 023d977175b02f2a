// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The input type check of the exported parsers: a value of the wrong type is an
// `invalidArgument` error that names the parameter and the type it got, not
// whatever TypeError the first string or byte method would throw.

import { AosError } from "./errors.ts";

/** How messages name the type of a value: `undefined`, `null`, `number`, `array`, `Date`, `object`. */
export function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value !== "object") return typeof value;
  const name: unknown = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === "string" && name !== "" && name !== "Object" ? name : "object";
}

/** `<action>: <param> must be <expected>, got <type>`, as an `invalidArgument` error. */
export function argumentTypeError(
  action: string,
  param: string,
  expected: string,
  value: unknown,
): AosError {
  return new AosError(
    "invalidArgument",
    `${action}: ${param} must be ${expected}, got ${typeName(value)}`,
  );
}

/** Throws {@linkcode argumentTypeError} unless `value` is a string. */
export function checkString(
  value: unknown,
  param: string,
  action: string,
): asserts value is string {
  if (typeof value !== "string") throw argumentTypeError(action, param, "a string", value);
}

/** Throws {@linkcode argumentTypeError} unless `value` is a string or UTF-8 bytes. */
export function checkText(
  value: unknown,
  param: string,
  action: string,
): asserts value is string | Uint8Array {
  if (typeof value !== "string" && !(value instanceof Uint8Array)) {
    throw argumentTypeError(action, param, "a string or a Uint8Array", value);
  }
}

/** Throws {@linkcode argumentTypeError} unless `value` is a Uint8Array. */
export function checkBytes(
  value: unknown,
  param: string,
  action: string,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw argumentTypeError(action, param, "a Uint8Array", value);
}
