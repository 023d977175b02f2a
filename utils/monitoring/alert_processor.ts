// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The threshold alert state machine of AosCore's monitoring: an alert is
 * raised when a value stays at or above the upper threshold for the timeout,
 * continues every timeout while the value stays at or above the lower
 * threshold (hysteresis), and falls when the value stays below the lower
 * threshold for the timeout.
 *
 * @module
 */

import { AosError } from "../errors.ts";
import type { QuotaAlertState } from "../alerts.ts";

/** Thresholds of an {@linkcode AlertProcessor}, in the unit of the values it checks. */
export interface AlertThresholds {
  /** The alert falls below this value (hysteresis); a value equal to it counts as above. */
  minThreshold: number;
  /** The alert is raised at or above this value. */
  maxThreshold: number;
  /** How long a threshold must stay crossed before the state changes, in ms; 0 acts at once. */
  minTimeoutMs: number;
}

/**
 * Detects alert transitions in a series of timed values. Time comes from the
 * caller (the sample times), so the machine runs the same on a real clock, a
 * replayed log or a test's fake clock.
 *
 * With a timeout of 0 a crossing raises on the same sample and `continue` is
 * reported on every sample while the value stays at or above the lower
 * threshold; a fall always needs two samples below it (the first one only
 * arms the timer), as in AosCore.
 *
 * @example
 * ```ts
 * import { AlertProcessor } from "@aoscore/common/utils/monitoring";
 * import assert from "node:assert/strict";
 *
 * const alert = new AlertProcessor({ minThreshold: 90, maxThreshold: 95, minTimeoutMs: 1_000 });
 * const at = (s: number) => new Date(s * 1000);
 * assert.equal(alert.checkAlertDetection(95, at(7)), undefined); // crossed: the timeout starts
 * assert.equal(alert.checkAlertDetection(96, at(9)), "raise");
 * assert.equal(alert.checkAlertDetection(90, at(11)), "continue");
 * assert.equal(alert.checkAlertDetection(80, at(13)), undefined); // below: the timeout starts
 * assert.equal(alert.checkAlertDetection(80, at(15)), "fall");
 * ```
 */
export class AlertProcessor {
  /** The thresholds and timeout. */
  readonly thresholds: Readonly<AlertThresholds>;
  #active = false;
  #maxTime: number | undefined;
  #minTime: number | undefined;

  /**
   * Creates a processor with no alert active.
   *
   * @param thresholds Lower and upper thresholds and the timeout.
   * @throws {AosError} `invalidArgument` for a threshold that is not a finite number or a
   *   negative or non-finite timeout.
   */
  constructor(thresholds: AlertThresholds) {
    const { minThreshold, maxThreshold, minTimeoutMs } = thresholds;
    if (!Number.isFinite(minThreshold) || !Number.isFinite(maxThreshold)) {
      throw new AosError(
        "invalidArgument",
        `Cannot create alert processor: invalid thresholds ${minThreshold}/${maxThreshold}`,
      );
    }
    if (!Number.isFinite(minTimeoutMs) || minTimeoutMs < 0) {
      throw new AosError(
        "invalidArgument",
        `Cannot create alert processor: invalid timeout ${minTimeoutMs} ms`,
      );
    }
    this.thresholds = Object.freeze({ minThreshold, maxThreshold, minTimeoutMs });
  }

  /** Whether an alert is raised and has not fallen. */
  get active(): boolean {
    return this.#active;
  }

  /**
   * Feeds one value and reports the transition it causes, if any.
   *
   * @param value The current value.
   * @param time When the value was measured.
   * @returns `raise`, `continue` or `fall`, or `undefined` when nothing is to be reported.
   */
  checkAlertDetection(value: number, time: Date): QuotaAlertState | undefined {
    const now = time.getTime();
    const { minThreshold, maxThreshold, minTimeoutMs } = this.thresholds;
    if (!this.#active) {
      if (value < maxThreshold) {
        this.#maxTime = undefined;
        return undefined;
      }
      // The crossing sample starts the timeout; with a timeout of 0 it also raises.
      this.#maxTime ??= now;
      if (now - this.#maxTime < minTimeoutMs) return undefined;
      this.#active = true;
      this.#maxTime = now;
      this.#minTime = undefined;
      return "raise";
    }
    if (value >= minThreshold) {
      this.#minTime = undefined;
      if (now - this.#maxTime! < minTimeoutMs) return undefined;
      this.#maxTime = now;
      return "continue";
    }
    if (this.#minTime === undefined) {
      this.#minTime = now;
      return undefined;
    }
    if (now - this.#minTime < minTimeoutMs) return undefined;
    this.#active = false;
    this.#minTime = now;
    this.#maxTime = undefined;
    return "fall";
  }
}
