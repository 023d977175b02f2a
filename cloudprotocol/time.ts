// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode AosTime}: a `Date` that keeps the microseconds of a protocol
 * timestamp.
 *
 * @module
 */

import { AosError } from "../utils/errors.ts";
import { formatTimestamp, parseTimestampMicros } from "../utils/time.ts";

/**
 * A protocol timestamp (`2026-03-14T09:26:53.589793Z`): a `Date` plus the
 * microseconds within its millisecond, which a `Date` cannot hold. Decoders
 * return timestamps as `AosTime`; encoders accept any `Date` (a plain `Date`
 * has 0 extra microseconds).
 *
 * @example
 * ```ts
 * import { AosTime } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const t = AosTime.fromTimestamp("2026-03-14T09:26:53.589793Z");
 * assert.equal(t.toISOString(), "2026-03-14T09:26:53.589Z");
 * assert.equal(t.micros, 793);
 * assert.equal(t.toTimestamp(), "2026-03-14T09:26:53.589793Z");
 * ```
 */
export class AosTime extends Date {
  /** Microseconds past the millisecond of the `Date`, 0 to 999. */
  readonly micros: number;

  /**
   * Creates a time.
   *
   * @param epochMs Milliseconds since the Unix epoch (an integer).
   * @param micros Microseconds past that millisecond, 0 to 999.
   * @throws {AosError} `invalidArgument` when `micros` is not an integer from 0 to 999.
   */
  constructor(epochMs: number, micros = 0) {
    super(epochMs);
    if (!Number.isInteger(micros) || micros < 0 || micros > 999) {
      throw new AosError(
        "invalidArgument",
        `Cannot create AosTime: micros out of range: ${micros}`,
      );
    }
    this.micros = micros;
  }

  /**
   * Parses a protocol timestamp; the fraction may have any number of digits
   * (beyond six they are dropped), and an offset is applied.
   *
   * @param text The timestamp.
   * @returns The time.
   * @throws {AosError} `invalidArgument` for malformed text.
   */
  static fromTimestamp(text: string): AosTime {
    const { date, micros } = parseTimestampMicros(text);
    return new AosTime(date.getTime(), micros);
  }

  /**
   * Formats the time as the protocol does, always with six fraction digits.
   *
   * @returns `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
   * @throws {AosError} `invalidArgument` for an invalid date or a year outside 0000-9999.
   */
  toTimestamp(): string {
    return formatTimestamp(this, this.micros);
  }
}
