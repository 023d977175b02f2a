// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Distinguished names between their text form (`C=UA, CN=Aos Core`) and DER.
 *
 * @module
 */

import * as asn1js from "asn1js";
import { AosError } from "../errors.ts";
import { toHex } from "../encoding.ts";
import { der, readDer } from "./_asn1.ts";
import { checkBytes } from "../_argument_type.ts";

interface NameAttribute {
  short: string;
  oid: string;
  /** The string type written for it: PrintableString, IA5String or UTF8String. */
  kind: "printable" | "ia5" | "utf8";
}

const ATTRIBUTES: readonly NameAttribute[] = [
  { short: "C", oid: "2.5.4.6", kind: "printable" },
  { short: "ST", oid: "2.5.4.8", kind: "utf8" },
  { short: "L", oid: "2.5.4.7", kind: "utf8" },
  { short: "O", oid: "2.5.4.10", kind: "utf8" },
  { short: "OU", oid: "2.5.4.11", kind: "utf8" },
  { short: "CN", oid: "2.5.4.3", kind: "utf8" },
  { short: "street", oid: "2.5.4.9", kind: "utf8" },
  { short: "serialNumber", oid: "2.5.4.5", kind: "printable" },
  { short: "title", oid: "2.5.4.12", kind: "utf8" },
  { short: "SN", oid: "2.5.4.4", kind: "utf8" },
  { short: "GN", oid: "2.5.4.42", kind: "utf8" },
  { short: "initials", oid: "2.5.4.43", kind: "utf8" },
  { short: "pseudonym", oid: "2.5.4.65", kind: "utf8" },
  { short: "postalCode", oid: "2.5.4.17", kind: "utf8" },
  { short: "dnQualifier", oid: "2.5.4.46", kind: "printable" },
  { short: "DC", oid: "0.9.2342.19200300.100.1.25", kind: "ia5" },
  { short: "UID", oid: "0.9.2342.19200300.100.1.1", kind: "utf8" },
  { short: "emailAddress", oid: "1.2.840.113549.1.9.1", kind: "ia5" },
];

// OpenSSL's long names are accepted too when encoding.
const LONG_NAMES: Readonly<Record<string, string>> = {
  countryName: "C",
  stateOrProvinceName: "ST",
  localityName: "L",
  organizationName: "O",
  organizationalUnitName: "OU",
  commonName: "CN",
  streetAddress: "street",
  surname: "SN",
  givenName: "GN",
  domainComponent: "DC",
  userId: "UID",
};

function attributeByName(name: string): NameAttribute | undefined {
  const short = LONG_NAMES[name] ?? name;
  return ATTRIBUTES.find((a) => a.short === short) ??
    ATTRIBUTES.find((a) => a.short.toLowerCase() === short.toLowerCase());
}

/**
 * Encodes a distinguished name. Entries are `KEY=VALUE`, separated by `,`
 * (or written OpenSSL-style as `/KEY=VALUE/KEY=VALUE`); spaces around them
 * are trimmed, a `\` escapes the next character, and each entry becomes its
 * own RDN in the given order. `C`, `serialNumber` and `dnQualifier` are
 * PrintableString, `emailAddress` and `DC` IA5String, the rest UTF8String.
 *
 * @example
 * ```ts
 * import { encodeName } from "@aoscore/common/utils/crypto";
 * import { toHex } from "@aoscore/common/utils";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   toHex(encodeName("C=UA, CN=Aos Core")),
 *   "3020310b3009060355040613025541311130" + "0f06035504030c08416f7320436f7265",
 * );
 * ```
 *
 * @param text The name.
 * @returns The DER `Name`.
 * @throws {AosError} `invalidArgument` for an entry without `=`, an unknown key or an empty name.
 */
export function encodeName(text: string): Uint8Array {
  const rdns: asn1js.Set[] = [];
  for (const entry of splitEntries(text)) {
    const eq = entry.indexOf("=");
    if (eq <= 0) {
      throw new AosError("invalidArgument", `Cannot encode name: "${entry}" is not KEY=VALUE`);
    }
    const key = entry.slice(0, eq).trim();
    const value = unescape(entry.slice(eq + 1).trim());
    const attribute = attributeByName(key);
    if (attribute === undefined) {
      throw new AosError("invalidArgument", `Cannot encode name: unknown attribute "${key}"`);
    }
    rdns.push(
      new asn1js.Set({
        value: [
          new asn1js.Sequence({
            value: [
              new asn1js.ObjectIdentifier({ value: attribute.oid }),
              stringValue(attribute, value),
            ],
          }),
        ],
      }),
    );
  }
  if (rdns.length === 0) throw new AosError("invalidArgument", "Cannot encode an empty name");
  return der(new asn1js.Sequence({ value: rdns }));
}

function stringValue(attribute: NameAttribute, value: string): asn1js.BaseBlock {
  if (attribute.kind === "printable") {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value)) {
      throw new AosError(
        "invalidArgument",
        `Cannot encode name: ${attribute.short} takes PrintableString characters only`,
      );
    }
    return new asn1js.PrintableString({ value });
  }
  if (attribute.kind === "ia5") {
    // deno-lint-ignore no-control-regex
    if (!/^[\x00-\x7f]*$/.test(value)) {
      throw new AosError(
        "invalidArgument",
        `Cannot encode name: ${attribute.short} takes ASCII only`,
      );
    }
    return new asn1js.IA5String({ value });
  }
  return new asn1js.Utf8String({ value });
}

// Splits at unescaped separators, keeping escapes for unescape().
function splitEntries(text: string): string[] {
  const trimmed = text.trim();
  const separator = trimmed.startsWith("/") ? "/" : ",";
  const entries: string[] = [];
  let current = "";
  for (let i = 0; i < trimmed.length; i++) {
    const ch = trimmed[i]!;
    if (ch === "\\" && i + 1 < trimmed.length) {
      current += ch + trimmed[++i];
    } else if (ch === separator) {
      entries.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  entries.push(current);
  return entries.map((e) => e.trim()).filter((e) => e !== "");
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, "$1");
}

/**
 * Decodes a DER name to text: `KEY=VALUE` in DER order joined with `", "`,
 * with short names (an unknown attribute shows its OID), `,`, `+`, `"`, `\`,
 * `<`, `>`, `;` and `/` escaped with `\`. A multi-valued RDN joins its values with `+`.
 *
 * @example
 * ```ts
 * import { decodeName, encodeName } from "@aoscore/common/utils/crypto";
 * import assert from "node:assert/strict";
 *
 * assert.equal(decodeName(encodeName("/C=UA/O=EPAM/CN=a\\, b")), "C=UA, O=EPAM, CN=a\\, b");
 * ```
 *
 * @param name The DER `Name`.
 * @returns The text form.
 * @throws {AosError} `invalidArgument` for malformed DER.
 */
export function decodeName(name: Uint8Array): string {
  checkBytes(name, "name", "Cannot parse name");
  const root = readDer(name, "name");
  if (!(root instanceof asn1js.Sequence)) {
    throw new AosError("invalidArgument", "Cannot parse name: not a SEQUENCE");
  }
  const rdns: string[] = [];
  for (const rdn of root.valueBlock.value) {
    if (!(rdn instanceof asn1js.Set)) {
      throw new AosError("invalidArgument", "Cannot parse name: RDN is not a SET");
    }
    const parts: string[] = [];
    for (const atv of rdn.valueBlock.value) {
      const [type, value] = atv instanceof asn1js.Sequence ? atv.valueBlock.value : [];
      if (!(type instanceof asn1js.ObjectIdentifier) || value === undefined) {
        throw new AosError("invalidArgument", "Cannot parse name: bad attribute");
      }
      const oid = type.getValue();
      const key = ATTRIBUTES.find((a) => a.oid === oid)?.short ?? oid;
      parts.push(`${key}=${escape(stringOf(value))}`);
    }
    rdns.push(parts.join("+"));
  }
  return rdns.join(", ");
}

function stringOf(value: asn1js.AsnType): string {
  if (value instanceof asn1js.BaseStringBlock) return value.getValue();
  return `#${toHex(der(value))}`;
}

function escape(value: string): string {
  return value.replace(/[,+"\\<>;/]/g, "\\$&");
}
