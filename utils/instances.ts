// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Service instances as every module sees them: the identity of an instance,
 * the states it goes through, helpers to compare identities and key maps by
 * them, and the {@linkcode InstanceStatusProvider} interface that tells
 * other modules (monitoring) which instances run. The cloud protocol
 * re-exports the identity and state types for its messages.
 *
 * @module
 */

import type { ErrorInfo } from "./errors.ts";

/** States of a service instance, in AosCore's order. */
export const INSTANCE_STATES = ["activating", "active", "inactive", "failed"] as const;
/** A state of a service instance. */
export type InstanceState = typeof INSTANCE_STATES[number];

/**
 * One service instance: the wire's `item`, `subject` and `instance` members.
 * Preinstalled items and subjects are referenced by `codename` instead of `id`.
 */
export interface InstanceIdent {
  /** Update item (service) ID. */
  itemId: string;
  /** Subject ID. */
  subjectId: string;
  /** Instance index. */
  instance: number;
  /** `true` when item and subject are preinstalled (written as `codename`). */
  preinstalled?: boolean;
}

/**
 * Reports whether two identities name the same instance: every member
 * equal, an absent `preinstalled` counting as `false`.
 *
 * @example
 * ```ts
 * import { instanceIdentEquals } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const a = { itemId: "svc", subjectId: "user", instance: 0 };
 * assert.ok(instanceIdentEquals(a, { ...a, preinstalled: false }));
 * assert.ok(!instanceIdentEquals(a, { ...a, instance: 1 }));
 * ```
 *
 * @param a One identity.
 * @param b The other.
 * @returns `true` when they are the same instance.
 */
export function instanceIdentEquals(a: InstanceIdent, b: InstanceIdent): boolean {
  return a.itemId === b.itemId && a.subjectId === b.subjectId && a.instance === b.instance &&
    (a.preinstalled ?? false) === (b.preinstalled ?? false);
}

/**
 * A string that identifies an instance, for use as a `Map` key: equal for
 * identities {@linkcode instanceIdentEquals} finds equal, distinct otherwise.
 *
 * @example
 * ```ts
 * import { instanceKey } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const seen = new Map([[instanceKey({ itemId: "svc", subjectId: "user", instance: 0 }), "up"]]);
 * assert.equal(seen.get(instanceKey({ itemId: "svc", subjectId: "user", instance: 0 })), "up");
 * ```
 *
 * @param ident The identity.
 * @returns The key.
 */
export function instanceKey(ident: InstanceIdent): string {
  // JSON quoting keeps IDs that contain the separator apart.
  return JSON.stringify([
    ident.itemId,
    ident.subjectId,
    ident.instance,
    ident.preinstalled ?? false,
  ]);
}

/** What a module needs to know about a running instance. */
export interface InstanceStatus extends InstanceIdent {
  /** Runtime that runs the instance (`crun`, `runc`, ...). */
  runtimeId?: string;
  /** Node that runs the instance. */
  nodeId?: string;
  /** Current state. */
  state: InstanceState;
  /** Why the instance failed. */
  error?: ErrorInfo;
}

/** Told when instance statuses change. */
export interface InstanceStatusListener {
  /**
   * Some statuses changed. The list may hold every instance or only those
   * that changed; a listener treats each entry on its own.
   *
   * @param statuses The new statuses.
   */
  onInstancesStatusesChanged(statuses: InstanceStatus[]): void;
}

/**
 * Reports the instances that run and tells listeners when that changes.
 * Listeners are called in subscription order and are not told the current
 * state when they subscribe.
 */
export interface InstanceStatusProvider {
  /**
   * The statuses of the known instances.
   *
   * @returns The statuses.
   */
  getInstancesStatuses(): Promise<InstanceStatus[]>;
  /**
   * Adds a listener.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(listener: InstanceStatusListener): Disposable;
  /**
   * Removes a listener.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: InstanceStatusListener): void;
}
