// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * A Cryptoki session: login, objects, key generation, signing and decryption.
 *
 * @module
 */

import type { Attribute, Mechanism, SessionInfo } from "./types.ts";

/** Handles of a generated key pair. */
export interface KeyPairHandles {
  /** The public key object. */
  publicKey: bigint;
  /** The private key object. */
  privateKey: bigint;
}

/**
 * A session with a token, from {@linkcode Pkcs11Library.openSession}.
 *
 * Operations on one session run one after the other. When the module has
 * dropped the session (token reset, `C_CloseAllSessions` from elsewhere), the
 * next operation reopens it, logs in again with the PIN last used on its slot,
 * and runs once more. Every failed call rejects with a `Pkcs11Error` (an
 * `AosError`) naming the function and the `CKR_*` value; a closed session or
 * finalised library rejects with `wrongState`.
 */
export interface Pkcs11Session extends AsyncDisposable {
  /** The `CK_SESSION_HANDLE` (changes when the session is reopened). */
  readonly handle: bigint;
  /** The slot the session is on. */
  readonly slotId: bigint;
  /**
   * `C_GetSessionInfo`.
   *
   * @returns Slot, state, flags and device error.
   */
  getSessionInfo(): Promise<SessionInfo>;
  /**
   * `C_Login`. An empty PIN logs in through the protected authentication path.
   * The PIN is kept (in memory, never printed) to log in again after recovery.
   *
   * @param userType The security officer or the normal user.
   * @param pin The PIN.
   * @throws {AosError} `alreadyLoggedIn` when the token is logged in already
   * (logins are per token, not per session), `runtime` with
   * `CKR_PIN_INCORRECT` for a wrong PIN.
   */
  login(userType: "so" | "user", pin: string): Promise<void>;
  /** `C_Logout`. */
  logout(): Promise<void>;
  /**
   * `C_InitPIN`: sets the user PIN (the security officer must be logged in).
   *
   * @param pin The new user PIN.
   */
  initPin(pin: string): Promise<void>;
  /**
   * `C_GetAttributeValue`, sizes first: the values of `types` in order.
   *
   * @param object The object handle.
   * @param types The attribute types.
   * @returns One value per type.
   * @throws {AosError} `invalidArgument` when the module has no value for one of them.
   */
  getAttributeValues(object: bigint, types: readonly bigint[]): Promise<Uint8Array[]>;
  /**
   * `C_FindObjectsInit`, `C_FindObjects`…, `C_FindObjectsFinal`.
   *
   * @param template The attributes to match.
   * @param max The most objects expected; more is an error. Default: `unlimited`.
   * @returns The handles.
   * @throws {AosError} `notFound` when nothing matches, `noMemory` when more than `max` match.
   */
  findObjects(template: readonly Attribute[], max?: number): Promise<bigint[]>;
  /**
   * `C_CreateObject`.
   *
   * @param template The object's attributes.
   * @returns The new object's handle.
   */
  createObject(template: readonly Attribute[]): Promise<bigint>;
  /**
   * `C_DestroyObject`.
   *
   * @param object The object handle.
   */
  destroyObject(object: bigint): Promise<void>;
  /**
   * `C_GenerateKeyPair`.
   *
   * @param mechanism The key generation mechanism.
   * @param publicTemplate The public key's attributes.
   * @param privateTemplate The private key's attributes.
   * @returns The two handles.
   */
  generateKeyPair(
    mechanism: Mechanism,
    publicTemplate: readonly Attribute[],
    privateTemplate: readonly Attribute[],
  ): Promise<KeyPairHandles>;
  /**
   * `C_SignInit` and `C_Sign`.
   *
   * @param mechanism The signing mechanism.
   * @param key The private key handle.
   * @param data The data (for `CKM.RSA_PKCS` and `CKM.ECDSA`, the DigestInfo or digest).
   * @param maxLength The signature size, when known; otherwise the module is asked first.
   * @returns The signature.
   */
  sign(
    mechanism: Mechanism,
    key: bigint,
    data: Uint8Array,
    maxLength?: number,
  ): Promise<Uint8Array>;
  /**
   * `C_DecryptInit` and `C_Decrypt`.
   *
   * @param mechanism The decryption mechanism.
   * @param key The private key handle.
   * @param data The ciphertext.
   * @param maxLength The plaintext capacity, when known; otherwise the module is asked first.
   * @returns The plaintext.
   */
  decrypt(
    mechanism: Mechanism,
    key: bigint,
    data: Uint8Array,
    maxLength?: number,
  ): Promise<Uint8Array>;
  /** Releases this session; the handle is closed once no user and no cache holds it. Safe to call twice. */
  close(): Promise<void>;
}
