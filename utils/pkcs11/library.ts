// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A loaded PKCS#11 module: slots, tokens and sessions.
 *
 * @module
 */

import type { Pkcs11Session } from "./session.ts";
import type { LibInfo, SlotInfo, TokenInfo } from "./types.ts";

/** Options of {@linkcode Pkcs11Library.openSession}. */
export interface OpenSessionOptions {
  /**
   * Opens a session of its own instead of sharing the cached one for the
   * same slot and flags (for operations in parallel).
   *
   * @default {false}
   */
  exclusive?: boolean;
}

/**
 * A PKCS#11 module opened by {@linkcode Pkcs11Manager.openLibrary}. Each
 * `openLibrary` returns a handle of its own; the module is shared, and
 * finalised when the last handle is.
 */
export interface Pkcs11Library {
  /** The module path as given. */
  readonly path: string;
  /**
   * `C_GetInfo`.
   *
   * @returns Cryptoki version, manufacturer, description and module version.
   */
  getLibInfo(): Promise<LibInfo>;
  /**
   * `C_GetSlotList`.
   *
   * @param tokenPresent Only slots with a token. Default: `true`.
   * @returns The slot ids.
   */
  getSlotList(tokenPresent?: boolean): Promise<bigint[]>;
  /**
   * `C_GetSlotInfo`.
   *
   * @param slotId The slot.
   * @returns Description, manufacturer, flags and versions.
   */
  getSlotInfo(slotId: bigint): Promise<SlotInfo>;
  /**
   * `C_GetTokenInfo`, labels and strings with trailing blanks removed.
   *
   * @param slotId The slot.
   * @returns The token's description and counters.
   */
  getTokenInfo(slotId: bigint): Promise<TokenInfo>;
  /**
   * The slot holding the token with this label (compared exactly after blanks are trimmed).
   *
   * @param label The token label.
   * @returns The slot id.
   * @throws {AosError} `notFound` when no token has the label.
   */
  findSlotByTokenLabel(label: string): Promise<bigint>;
  /**
   * `C_InitToken`. SoftHSM moves an initialised token to a new slot: find it
   * again by label afterwards.
   *
   * @param slotId The slot.
   * @param soPin The security officer PIN.
   * @param label The token label, up to 32 bytes.
   */
  initToken(slotId: bigint, soPin: string, label: string): Promise<void>;
  /**
   * Opens a session, or shares the cached one for the same slot and flags.
   * The cache holds {@linkcode Pkcs11ManagerOptions.sessionCacheSize}
   * sessions, replaced round-robin.
   *
   * @param slotId The slot.
   * @param flags `CKF.RW_SESSION | CKF.SERIAL_SESSION` by default.
   * @param options Exclusive sessions.
   * @returns The session.
   */
  openSession(slotId: bigint, flags?: bigint, options?: OpenSessionOptions): Promise<Pkcs11Session>;
  /** Empties the session cache, closing the sessions nobody uses. */
  clearSessions(): void;
  /**
   * `C_CloseAllSessions`: every session of the slot ends, ours included
   * (their next use is `wrongState`), and the token is logged out.
   *
   * @param slotId The slot.
   */
  closeAllSessions(slotId: bigint): Promise<void>;
  /**
   * Releases this handle and the sessions opened through it. The last handle
   * of a module calls `C_Finalize` and unloads it. Safe to call twice.
   */
  finalize(): Promise<void>;
}
