// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The data types of the Cryptoki binding.
 *
 * @module
 */

/** One attribute of a template: its `CKA_*` type and raw value (CK_ULONGs as 8 little-endian bytes, booleans as 1 byte). */
export interface Attribute {
  /** The attribute type, such as `CKA.LABEL`. */
  type: bigint;
  /** The value bytes. */
  value: Uint8Array;
}

/** A mechanism and its parameter, packed as the C struct the mechanism takes. */
export interface Mechanism {
  /** The mechanism type, such as `CKM.ECDSA`. */
  type: bigint;
  /** The packed parameter struct, if the mechanism takes one. */
  parameter?: Uint8Array;
}

/** A `CK_VERSION`. */
export interface Version {
  /** Major version. */
  major: number;
  /** Minor version. */
  minor: number;
}

/** `CK_INFO`: the module. */
export interface LibInfo {
  /** The Cryptoki version the module implements. */
  cryptokiVersion: Version;
  /** The module's manufacturer. */
  manufacturerId: string;
  /** Module flags (none are defined). */
  flags: bigint;
  /** The module's description. */
  libraryDescription: string;
  /** The module's own version. */
  libraryVersion: Version;
}

/** `CK_SLOT_INFO`. */
export interface SlotInfo {
  /** The slot's description. */
  slotDescription: string;
  /** The slot's manufacturer. */
  manufacturerId: string;
  /** `CKF.TOKEN_PRESENT`, `CKF.REMOVABLE_DEVICE`, `CKF.HW_SLOT`. */
  flags: bigint;
  /** Hardware version. */
  hardwareVersion: Version;
  /** Firmware version. */
  firmwareVersion: Version;
}

/** `CK_TOKEN_INFO`. Counts a token does not know are `CK_UNAVAILABLE_INFORMATION`. */
export interface TokenInfo {
  /** The token label, trailing blanks removed. */
  label: string;
  /** The token's manufacturer. */
  manufacturerId: string;
  /** The token's model. */
  model: string;
  /** The token's serial number. */
  serialNumber: string;
  /** Token flags such as `CKF.TOKEN_INITIALIZED`. */
  flags: bigint;
  /** Most sessions at once. */
  maxSessionCount: bigint;
  /** Sessions open now. */
  sessionCount: bigint;
  /** Most read/write sessions at once. */
  maxRwSessionCount: bigint;
  /** Read/write sessions open now. */
  rwSessionCount: bigint;
  /** Longest PIN in bytes. */
  maxPinLen: bigint;
  /** Shortest PIN in bytes. */
  minPinLen: bigint;
  /** Public object memory. */
  totalPublicMemory: bigint;
  /** Free public object memory. */
  freePublicMemory: bigint;
  /** Private object memory. */
  totalPrivateMemory: bigint;
  /** Free private object memory. */
  freePrivateMemory: bigint;
  /** Hardware version. */
  hardwareVersion: Version;
  /** Firmware version. */
  firmwareVersion: Version;
  /** The token clock (`YYYYMMDDhhmmss00`), empty when it has none. */
  utcTime: string;
}

/** `CK_SESSION_INFO`. */
export interface SessionInfo {
  /** The slot of the session. */
  slotId: bigint;
  /** The session state (`CKS_*`). */
  state: bigint;
  /** `CKF.RW_SESSION`, `CKF.SERIAL_SESSION`. */
  flags: bigint;
  /** A device-specific error code. */
  deviceError: bigint;
}
