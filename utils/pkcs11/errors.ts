// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The error of a failed Cryptoki call: an {@linkcode AosError} that carries
 * the return value and its name.
 *
 * @module
 */

import { AosError } from "../errors.ts";

// CK_RV values of PKCS#11 v2.40 and 3.0, by number.
const RV_NAMES: ReadonlyMap<bigint, string> = new Map(
  ([
    [0x0, "OK"],
    [0x1, "CANCEL"],
    [0x2, "HOST_MEMORY"],
    [0x3, "SLOT_ID_INVALID"],
    [0x5, "GENERAL_ERROR"],
    [0x6, "FUNCTION_FAILED"],
    [0x7, "ARGUMENTS_BAD"],
    [0x8, "NO_EVENT"],
    [0x9, "NEED_TO_CREATE_THREADS"],
    [0xa, "CANT_LOCK"],
    [0x10, "ATTRIBUTE_READ_ONLY"],
    [0x11, "ATTRIBUTE_SENSITIVE"],
    [0x12, "ATTRIBUTE_TYPE_INVALID"],
    [0x13, "ATTRIBUTE_VALUE_INVALID"],
    [0x1b, "ACTION_PROHIBITED"],
    [0x20, "DATA_INVALID"],
    [0x21, "DATA_LEN_RANGE"],
    [0x30, "DEVICE_ERROR"],
    [0x31, "DEVICE_MEMORY"],
    [0x32, "DEVICE_REMOVED"],
    [0x40, "ENCRYPTED_DATA_INVALID"],
    [0x41, "ENCRYPTED_DATA_LEN_RANGE"],
    [0x50, "FUNCTION_CANCELED"],
    [0x51, "FUNCTION_NOT_PARALLEL"],
    [0x54, "FUNCTION_NOT_SUPPORTED"],
    [0x60, "KEY_HANDLE_INVALID"],
    [0x62, "KEY_SIZE_RANGE"],
    [0x63, "KEY_TYPE_INCONSISTENT"],
    [0x64, "KEY_NOT_NEEDED"],
    [0x65, "KEY_CHANGED"],
    [0x66, "KEY_NEEDED"],
    [0x67, "KEY_INDIGESTIBLE"],
    [0x68, "KEY_FUNCTION_NOT_PERMITTED"],
    [0x69, "KEY_NOT_WRAPPABLE"],
    [0x6a, "KEY_UNEXTRACTABLE"],
    [0x70, "MECHANISM_INVALID"],
    [0x71, "MECHANISM_PARAM_INVALID"],
    [0x82, "OBJECT_HANDLE_INVALID"],
    [0x90, "OPERATION_ACTIVE"],
    [0x91, "OPERATION_NOT_INITIALIZED"],
    [0xa0, "PIN_INCORRECT"],
    [0xa1, "PIN_INVALID"],
    [0xa2, "PIN_LEN_RANGE"],
    [0xa3, "PIN_EXPIRED"],
    [0xa4, "PIN_LOCKED"],
    [0xb0, "SESSION_CLOSED"],
    [0xb1, "SESSION_COUNT"],
    [0xb3, "SESSION_HANDLE_INVALID"],
    [0xb4, "SESSION_PARALLEL_NOT_SUPPORTED"],
    [0xb5, "SESSION_READ_ONLY"],
    [0xb6, "SESSION_EXISTS"],
    [0xb7, "SESSION_READ_ONLY_EXISTS"],
    [0xb8, "SESSION_READ_WRITE_SO_EXISTS"],
    [0xc0, "SIGNATURE_INVALID"],
    [0xc1, "SIGNATURE_LEN_RANGE"],
    [0xd0, "TEMPLATE_INCOMPLETE"],
    [0xd1, "TEMPLATE_INCONSISTENT"],
    [0xe0, "TOKEN_NOT_PRESENT"],
    [0xe1, "TOKEN_NOT_RECOGNIZED"],
    [0xe2, "TOKEN_WRITE_PROTECTED"],
    [0xf0, "UNWRAPPING_KEY_HANDLE_INVALID"],
    [0xf1, "UNWRAPPING_KEY_SIZE_RANGE"],
    [0xf2, "UNWRAPPING_KEY_TYPE_INCONSISTENT"],
    [0x100, "USER_ALREADY_LOGGED_IN"],
    [0x101, "USER_NOT_LOGGED_IN"],
    [0x102, "USER_PIN_NOT_INITIALIZED"],
    [0x103, "USER_TYPE_INVALID"],
    [0x104, "USER_ANOTHER_ALREADY_LOGGED_IN"],
    [0x105, "USER_TOO_MANY_TYPES"],
    [0x110, "WRAPPED_KEY_INVALID"],
    [0x112, "WRAPPED_KEY_LEN_RANGE"],
    [0x113, "WRAPPING_KEY_HANDLE_INVALID"],
    [0x114, "WRAPPING_KEY_SIZE_RANGE"],
    [0x115, "WRAPPING_KEY_TYPE_INCONSISTENT"],
    [0x120, "RANDOM_SEED_NOT_SUPPORTED"],
    [0x121, "RANDOM_NO_RNG"],
    [0x130, "DOMAIN_PARAMS_INVALID"],
    [0x140, "CURVE_NOT_SUPPORTED"],
    [0x150, "BUFFER_TOO_SMALL"],
    [0x160, "SAVED_STATE_INVALID"],
    [0x170, "INFORMATION_SENSITIVE"],
    [0x180, "STATE_UNSAVEABLE"],
    [0x190, "CRYPTOKI_NOT_INITIALIZED"],
    [0x191, "CRYPTOKI_ALREADY_INITIALIZED"],
    [0x1a0, "MUTEX_BAD"],
    [0x1a1, "MUTEX_NOT_LOCKED"],
    [0x1b0, "NEW_PIN_MODE"],
    [0x1b1, "NEXT_OTP"],
    [0x1b5, "EXCEEDED_MAX_ITERATIONS"],
    [0x1b6, "FIPS_SELF_TEST_FAILED"],
    [0x1b7, "LIBRARY_LOAD_FAILED"],
    [0x1b8, "PIN_TOO_WEAK"],
    [0x1b9, "PUBLIC_KEY_INVALID"],
    [0x200, "FUNCTION_REJECTED"],
  ] as const).map(([rv, name]) => [BigInt(rv), `CKR_${name}`]),
);

/**
 * The name of a `CK_RV`: `CKR_PIN_INCORRECT` for `0xa0n`; vendor values read
 * `CKR_VENDOR_DEFINED+0x…`, unknown ones `CKR_0x…`.
 *
 * @example
 * ```ts
 * import { rvName } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.equal(rvName(0xa0n), "CKR_PIN_INCORRECT");
 * ```
 *
 * @param rv The return value.
 * @returns Its name.
 */
export function rvName(rv: bigint): string {
  const name = RV_NAMES.get(rv);
  if (name !== undefined) return name;
  if (rv >= 0x8000_0000n) return `CKR_VENDOR_DEFINED+0x${(rv - 0x8000_0000n).toString(16)}`;
  return `CKR_0x${rv.toString(16)}`;
}

/**
 * A Cryptoki call that returned something other than `CKR_OK`. The kind is
 * `alreadyLoggedIn` for `CKR_USER_ALREADY_LOGGED_IN` and `runtime` otherwise;
 * the message is `<function> failed: <rv name> (0x<rv>)` and never holds a PIN.
 *
 * Deviation from AosCore: the return value is kept in {@linkcode Pkcs11Error.rv},
 * not in `errno` (which stays a POSIX errno throughout the collection).
 *
 * @example
 * ```ts
 * import { Pkcs11Error } from "@aoscore/common/utils/pkcs11";
 * import { errorIs } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * const err = new Pkcs11Error("C_Login", 0xa0n, "Cannot log in");
 * assert.equal(err.message, "Cannot log in: C_Login failed: CKR_PIN_INCORRECT (0xa0)");
 * assert.equal(err.rvName, "CKR_PIN_INCORRECT");
 * assert.ok(errorIs(err, "runtime"));
 * assert.ok(errorIs(new Pkcs11Error("C_Login", 0x100n), "alreadyLoggedIn"));
 * ```
 */
export class Pkcs11Error extends AosError {
  /** Always `"Pkcs11Error"`. */
  override name = "Pkcs11Error";
  /** The `CK_RV`. */
  readonly rv: bigint;
  /** Its name, such as `CKR_PIN_INCORRECT`. */
  readonly rvName: string;
  /** The Cryptoki function that failed, such as `C_Login`. */
  readonly function: string;

  /**
   * Creates the error of a failed call.
   *
   * @param fn The Cryptoki function.
   * @param rv Its return value.
   * @param context What was being done, for the message.
   */
  constructor(fn: string, rv: bigint, context = "") {
    const name = rvName(rv);
    const what = `${fn} failed: ${name} (0x${rv.toString(16)})`;
    super(
      rv === 0x100n ? "alreadyLoggedIn" : "runtime",
      context === "" ? what : `${context}: ${what}`,
    );
    this.rv = rv;
    this.rvName = name;
    this.function = fn;
  }
}
