// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Cryptoki constants (PKCS#11 v2.40) as `bigint`s, grouped by prefix:
 * `CKA.LABEL` is `CKA_LABEL`. Only the values AosCore and this binding use
 * are named; any other value can be passed as a plain `bigint`.
 *
 * @module
 */

/** Attribute types (`CKA_*`). */
export const CKA = {
  CLASS: 0x0n,
  TOKEN: 0x1n,
  PRIVATE: 0x2n,
  LABEL: 0x3n,
  VALUE: 0x11n,
  CERTIFICATE_TYPE: 0x80n,
  ISSUER: 0x81n,
  SERIAL_NUMBER: 0x82n,
  KEY_TYPE: 0x100n,
  SUBJECT: 0x101n,
  ID: 0x102n,
  SENSITIVE: 0x103n,
  ENCRYPT: 0x104n,
  DECRYPT: 0x105n,
  SIGN: 0x108n,
  VERIFY: 0x10an,
  MODULUS: 0x120n,
  MODULUS_BITS: 0x121n,
  PUBLIC_EXPONENT: 0x122n,
  EXTRACTABLE: 0x162n,
  EC_PARAMS: 0x180n,
  EC_POINT: 0x181n,
} as const;

/** Object classes (`CKO_*`). */
export const CKO = {
  DATA: 0x0n,
  CERTIFICATE: 0x1n,
  PUBLIC_KEY: 0x2n,
  PRIVATE_KEY: 0x3n,
  SECRET_KEY: 0x4n,
} as const;

/** Key types (`CKK_*`). */
export const CKK = { RSA: 0x0n, EC: 0x3n } as const;

/** Certificate types (`CKC_*`). */
export const CKC = { X_509: 0x0n } as const;

/** Mechanisms (`CKM_*`). */
export const CKM = {
  RSA_PKCS_KEY_PAIR_GEN: 0x0n,
  RSA_PKCS: 0x1n,
  RSA_PKCS_OAEP: 0x9n,
  RSA_PKCS_PSS: 0xdn,
  SHA_1: 0x220n,
  SHA224: 0x255n,
  SHA256: 0x250n,
  SHA384: 0x260n,
  SHA512: 0x270n,
  SHA3_256: 0x2b0n,
  SHA3_224: 0x2b5n,
  EC_KEY_PAIR_GEN: 0x1040n,
  ECDSA: 0x1041n,
} as const;

/** MGF1 functions of OAEP and PSS (`CKG_*`). */
export const CKG = {
  MGF1_SHA1: 0x1n,
  MGF1_SHA256: 0x2n,
  MGF1_SHA384: 0x3n,
  MGF1_SHA512: 0x4n,
  MGF1_SHA224: 0x5n,
  MGF1_SHA3_224: 0x6n,
  MGF1_SHA3_256: 0x7n,
} as const;

/** The OAEP encoding parameter source (`CKZ_*`). */
export const CKZ = { DATA_SPECIFIED: 0x1n } as const;

/** User types of `C_Login` (`CKU_*`). */
export const CKU = { SO: 0x0n, USER: 0x1n } as const;

/** Session states (`CKS_*`). */
export const CKS = {
  RO_PUBLIC_SESSION: 0x0n,
  RO_USER_FUNCTIONS: 0x1n,
  RW_PUBLIC_SESSION: 0x2n,
  RW_USER_FUNCTIONS: 0x3n,
  RW_SO_FUNCTIONS: 0x4n,
} as const;

/**
 * Flags (`CKF_*`): slot flags (`TOKEN_PRESENT`), token flags (`LOGIN_REQUIRED`,
 * `USER_PIN_INITIALIZED`, `TOKEN_INITIALIZED`), session flags (`RW_SESSION`,
 * `SERIAL_SESSION`) and the `C_Initialize` flag `OS_LOCKING_OK`.
 */
export const CKF = {
  TOKEN_PRESENT: 0x1n,
  REMOVABLE_DEVICE: 0x2n,
  HW_SLOT: 0x4n,
  RNG: 0x1n,
  WRITE_PROTECTED: 0x2n,
  LOGIN_REQUIRED: 0x4n,
  USER_PIN_INITIALIZED: 0x8n,
  TOKEN_INITIALIZED: 0x400n,
  RW_SESSION: 0x2n,
  SERIAL_SESSION: 0x4n,
  OS_LOCKING_OK: 0x2n,
} as const;

/** The value a length takes when the information is not available (`CK_UNAVAILABLE_INFORMATION`). */
export const CK_UNAVAILABLE_INFORMATION = 0xffff_ffff_ffff_ffffn;
