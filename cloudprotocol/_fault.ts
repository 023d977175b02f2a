// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Failures inside the codec: a `Fault` travels up to the entry point, each
// level it passes adding its key or index, so no path is built on the
// success path; the entry point turns it into a `CloudProtocolError`.

import type { CloudProtocolErrorKind } from "./error.ts";

/** A failure on its way up to the decoder or encoder entry point. */
export class Fault {
  /** Why. */
  readonly kind: CloudProtocolErrorKind;
  /** What is wrong with the value. */
  readonly detail: string;
  /** Path segments, innermost first. */
  readonly segments: (string | number)[] = [];

  constructor(kind: CloudProtocolErrorKind, detail: string) {
    this.kind = kind;
    this.detail = detail;
  }

  /** The JSON pointer (RFC 6901) of the value, under `prefix`. */
  path(prefix = ""): string {
    let out = prefix;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      out += "/" + String(this.segments[i]).replaceAll("~", "~0").replaceAll("/", "~1");
    }
    return out;
  }
}

/** Adds a path segment to a fault passing through; anything else is a bug and passes as is. */
export function at(err: unknown, segment: string | number): unknown {
  if (err instanceof Fault) err.segments.push(segment);
  return err;
}

/** The fault of a required member that is absent: enums say `invalidEnum`. */
export function missingMember(type: { name: string; missing?: CloudProtocolErrorKind }): Fault {
  const kind = type.missing ?? "missingField";
  return new Fault(kind, kind === "invalidEnum" ? `missing ${type.name}` : "missing");
}

/** The fault of a required model property that is not set. */
export function missingProperty(prop: string): Fault {
  return new Fault("missingField", `missing ${prop}`);
}

/** Describes a value for messages: `a string`, `an array`, `null`. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "object":
      return "an object";
    case "string":
      return `the string ${preview(value)}`;
    case "number":
    case "boolean":
    case "bigint":
      return `${typeof value} ${String(value)}`;
    default:
      return typeof value;
  }
}

/** A string quoted and cut for messages. */
export function preview(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text);
}

/** The fault of a value of the wrong JSON type. */
export function wrongType(expected: string, value: unknown): Fault {
  return new Fault("invalidType", `expected ${expected}, got ${describe(value)}`);
}
