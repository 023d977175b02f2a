// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * PKCS#11 URIs (RFC 7512): a strict parser and a formatter covering every
 * path and query attribute, percent-encoding, vendor attributes, and the
 * AosCore conventions built on them. Runs on Deno and Node.
 *
 * Deviation from AosCore: AosCore finds attributes by substring search (so a
 * token named `valid` holds an `id`) and neither encodes nor decodes labels.
 * Here a URI is split into attributes exactly and every value is
 * percent-decoded; `{ lenient: true }` also accepts the raw labels (spaces
 * and all) that AosCore writes.
 *
 * @module
 */

import * as asn1js from "asn1js";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { AosError } from "../errors.ts";
import { pemEncode } from "../crypto/pem.ts";
import { checkString } from "../_argument_type.ts";

/** The object classes a `type` attribute names. */
export type Pkcs11ObjectType = "public" | "private" | "cert" | "secret-key" | "data";

/** A vendor-specific attribute, kept in URI order. */
export interface Pkcs11VendorAttribute {
  /** Its name: letters, digits, `-` and `_`. */
  name: string;
  /** Its percent-decoded value. */
  value: string;
}

/** A parsed PKCS#11 URI. Absent attributes are absent properties; values are percent-decoded. */
export interface Pkcs11Uri {
  /** `token`: the token label. */
  token?: string;
  /** `manufacturer`: the token manufacturer. */
  manufacturer?: string;
  /** `serial`: the token serial number. */
  serial?: string;
  /** `model`: the token model. */
  model?: string;
  /** `library-manufacturer`. */
  libraryManufacturer?: string;
  /** `library-description`. */
  libraryDescription?: string;
  /** `library-version` (`3` reads as 3.0). */
  libraryVersion?: { major: number; minor: number };
  /** `object`: the object label (`CKA_LABEL`). */
  object?: string;
  /** `type`: the object class. */
  type?: Pkcs11ObjectType;
  /** `id`: the object id (`CKA_ID`) bytes. */
  id?: Uint8Array;
  /** `slot-description`. */
  slotDescription?: string;
  /** `slot-manufacturer`. */
  slotManufacturer?: string;
  /** `slot-id`. */
  slotId?: bigint;
  /** Vendor attributes of the path. */
  vendorPath?: Pkcs11VendorAttribute[];
  /** `pin-source` (query): where the PIN is read from, a file path or `file:` URI. */
  pinSource?: string;
  /** `pin-value` (query): the PIN itself. */
  pinValue?: string;
  /** `module-name` (query): the module's name without path or suffix. */
  moduleName?: string;
  /** `module-path` (query): the module's file path. */
  modulePath?: string;
  /** Vendor attributes of the query. */
  vendorQuery?: Pkcs11VendorAttribute[];
}

/** Options of {@linkcode parsePkcs11Uri}. */
export interface ParsePkcs11UriOptions {
  /**
   * Accepts what AosCore writes as well: characters RFC 7512 wants
   * percent-encoded (spaces in labels) taken as they are, empty attributes
   * between separators skipped, and an incomplete `%` escape at the end of a
   * value dropped.
   *
   * @default {false}
   */
  lenient?: boolean;
}

type Kind = "text" | "bytes" | "type" | "version" | "slot";
type PathKey =
  | "token"
  | "manufacturer"
  | "serial"
  | "model"
  | "libraryManufacturer"
  | "libraryDescription"
  | "libraryVersion"
  | "object"
  | "type"
  | "id"
  | "slotDescription"
  | "slotManufacturer"
  | "slotId";
type QueryKey = "pinSource" | "pinValue" | "moduleName" | "modulePath";

// Written in this order; AosCore's token, object, id keep their relative order.
const PATH_ATTRIBUTES: readonly (readonly [string, PathKey, Kind])[] = [
  ["token", "token", "text"],
  ["manufacturer", "manufacturer", "text"],
  ["model", "model", "text"],
  ["serial", "serial", "text"],
  ["slot-description", "slotDescription", "text"],
  ["slot-manufacturer", "slotManufacturer", "text"],
  ["slot-id", "slotId", "slot"],
  ["library-manufacturer", "libraryManufacturer", "text"],
  ["library-description", "libraryDescription", "text"],
  ["library-version", "libraryVersion", "version"],
  ["object", "object", "text"],
  ["type", "type", "type"],
  ["id", "id", "bytes"],
];
const QUERY_ATTRIBUTES: readonly (readonly [string, QueryKey])[] = [
  ["module-name", "moduleName"],
  ["module-path", "modulePath"],
  ["pin-source", "pinSource"],
  ["pin-value", "pinValue"],
];
const OBJECT_TYPES: readonly string[] = ["public", "private", "cert", "secret-key", "data"];

// RFC 3986 unreserved, RFC 7512 pk11-res-avail, and each component's extras.
const UNRESERVED = "A-Za-z0-9\\-._~";
const RES_AVAIL = ":\\[\\]@!$'()*+,=";
const PATH_CHAR = new RegExp(`^[${UNRESERVED}${RES_AVAIL}&]$`);
const QUERY_CHAR = new RegExp(`^[${UNRESERVED}${RES_AVAIL}/?|]$`);
const NAME = /^[A-Za-z0-9_-]+$/;
const PATH_NAMES = PATH_ATTRIBUTES.map(([wire]) => wire);
const QUERY_NAMES = QUERY_ATTRIBUTES.map(([wire]) => wire);
const PATH: Component = { name: "path", separator: ";", chars: PATH_CHAR, other: QUERY_NAMES };
const QUERY: Component = { name: "query", separator: "&", chars: QUERY_CHAR, other: PATH_NAMES };

function invalid(why: string): AosError {
  return new AosError("invalidArgument", `Invalid PKCS#11 URI: ${why}`);
}

/**
 * Parses a PKCS#11 URI. Errors name the offending attribute but never quote
 * a `pin-value`.
 *
 * @example
 * ```ts
 * import { parsePkcs11Uri } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * const uri = parsePkcs11Uri(
 *   "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;object=my-certificate;" +
 *     "type=cert;id=%69%95%3E%5C%F4%BD%EC%91?pin-source=file:/etc/token_pin",
 * );
 * assert.equal(uri.token, "The Software PKCS#11 Softtoken");
 * assert.equal(uri.type, "cert");
 * assert.deepEqual(uri.id, new Uint8Array([0x69, 0x95, 0x3e, 0x5c, 0xf4, 0xbd, 0xec, 0x91]));
 * assert.equal(uri.pinSource, "file:/etc/token_pin");
 * ```
 *
 * @param text The URI.
 * @param options Leniency for AosCore's raw labels.
 * @returns The attributes.
 * @throws {AosError} `invalidArgument` for another scheme, a malformed or
 * repeated attribute, a character that must be percent-encoded, an attribute
 * in the wrong component, or both `pin-source` and `pin-value`.
 */
export function parsePkcs11Uri(text: string, options: ParsePkcs11UriOptions = {}): Pkcs11Uri {
  checkString(text, "text", "Cannot parse PKCS#11 URI");
  const lenient = options.lenient === true;
  const colon = text.indexOf(":");
  if (colon < 0 || text.slice(0, colon).toLowerCase() !== "pkcs11") {
    throw invalid(`the scheme is not "pkcs11"`);
  }
  const rest = text.slice(colon + 1);
  const question = rest.indexOf("?");
  const path = question < 0 ? rest : rest.slice(0, question);
  const query = question < 0 ? "" : rest.slice(question + 1);
  const uri: Pkcs11Uri = {};
  for (const [name, raw] of attributes(path, PATH, lenient)) {
    const known = PATH_ATTRIBUTES.find(([wire]) => wire === name);
    if (known !== undefined) {
      setPathAttribute(uri, known, decodeBytes(raw, PATH.chars, lenient, name));
    } else {(uri.vendorPath ??= []).push({
        name,
        value: decodeText(raw, PATH.chars, lenient, name),
      });}
  }
  for (const [name, raw] of attributes(query, QUERY, lenient)) {
    const value = decodeText(raw, QUERY.chars, lenient, name);
    const known = QUERY_ATTRIBUTES.find(([wire]) => wire === name);
    if (known !== undefined) uri[known[1]] = value;
    else (uri.vendorQuery ??= []).push({ name, value });
  }
  if (uri.pinSource !== undefined && uri.pinValue !== undefined) {
    throw invalid("both pin-source and pin-value are given");
  }
  return uri;
}

interface Component {
  name: "path" | "query";
  separator: string;
  /** The characters a value may hold unencoded. */
  chars: RegExp;
  /** The standard names of the other component. */
  other: readonly string[];
}

// Splits a component into its attributes, refusing repeats and attributes of the other component.
function* attributes(
  text: string,
  component: Component,
  lenient: boolean,
): Generator<[string, string]> {
  if (text === "") return;
  const seen = new Set<string>();
  for (const part of text.split(component.separator)) {
    if (part === "" && lenient) continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    if (eq <= 0 || !NAME.test(name)) {
      throw invalid(`malformed ${component.name} attribute "${eq < 0 ? name : `${name}=`}"`);
    }
    if (seen.has(name)) throw invalid(`the ${component.name} attribute "${name}" appears twice`);
    if (component.other.includes(name)) {
      throw invalid(`"${name}" belongs in the ${component.name === "path" ? "query" : "path"}`);
    }
    seen.add(name);
    yield [name, part.slice(eq + 1)];
  }
}

function setPathAttribute(
  uri: Pkcs11Uri,
  [name, key, kind]: readonly [string, PathKey, Kind],
  bytes: Uint8Array,
): void {
  switch (kind) {
    case "bytes":
      uri.id = bytes;
      return;
    case "text":
      (uri as Record<string, unknown>)[key] = utf8(bytes, name);
      return;
    case "type": {
      const value = utf8(bytes, name);
      if (!OBJECT_TYPES.includes(value)) {
        throw invalid(`type is one of ${OBJECT_TYPES.join(", ")}, got "${value}"`);
      }
      uri.type = value as Pkcs11ObjectType;
      return;
    }
    case "version": {
      const match = /^(\d+)(?:\.(\d+))?$/.exec(utf8(bytes, name));
      if (match === null) throw invalid(`library-version is MAJOR[.MINOR]`);
      uri.libraryVersion = { major: Number(match[1]), minor: Number(match[2] ?? 0) };
      return;
    }
    case "slot": {
      const value = utf8(bytes, name);
      if (!/^\d+$/.test(value)) throw invalid(`slot-id is a decimal number`);
      uri.slotId = BigInt(value);
      return;
    }
  }
}

function decodeText(raw: string, allowed: RegExp, lenient: boolean, name: string): string {
  return utf8(decodeBytes(raw, allowed, lenient, name), name);
}

function decodeBytes(raw: string, allowed: RegExp, lenient: boolean, name: string): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      // AosCore drops an escape cut short by the end of the value.
      if (lenient && i + 3 > raw.length && /^[0-9A-Fa-f]?$/.test(hex)) break;
      throw invalid(`a bad percent-escape in "${name}"`);
    }
    if (!lenient && !allowed.test(ch)) {
      throw invalid(`"${name}" holds a character that must be percent-encoded`);
    }
    out.push(...encoder.encode(ch));
  }
  return new Uint8Array(out);
}

function utf8(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`"${name}" is not UTF-8`);
  }
}

/**
 * Formats a PKCS#11 URI. Values are percent-encoded where RFC 7512 asks it
 * (`id` always byte by byte, upper-case hex); path attributes come in a fixed
 * order (token, manufacturer, model, serial, slot-*, library-*, object, type,
 * id, vendor), query attributes as module-name, module-path, pin-source,
 * pin-value, vendor. The `?` appears only with a query.
 *
 * @example
 * ```ts
 * import { formatPkcs11Uri, parsePkcs11Uri } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * const text = formatPkcs11Uri({
 *   token: "aos token",
 *   object: "iam",
 *   id: new Uint8Array([8, 8, 8, 8]),
 *   modulePath: "/usr/lib/softhsm/libsofthsm2.so",
 *   pinSource: "/var/aos/iam/pin",
 * });
 * assert.equal(
 *   text,
 *   "pkcs11:token=aos%20token;object=iam;id=%08%08%08%08" +
 *     "?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/var/aos/iam/pin",
 * );
 * assert.equal(parsePkcs11Uri(text).token, "aos token");
 * ```
 *
 * @param uri The attributes.
 * @returns The URI text.
 * @throws {AosError} `invalidArgument` for a bad `type`, version, slot id or
 * vendor name, or both PIN attributes.
 */
export function formatPkcs11Uri(uri: Pkcs11Uri): string {
  const path: string[] = [];
  for (const [name, key, kind] of PATH_ATTRIBUTES) {
    const value = uri[key];
    if (value === undefined) continue;
    path.push(`${name}=${formatPathValue(kind, value)}`);
  }
  for (const { name, value } of uri.vendorPath ?? []) {
    checkVendorName(name);
    path.push(`${name}=${encode(new TextEncoder().encode(value), PATH_CHAR)}`);
  }
  if (uri.pinSource !== undefined && uri.pinValue !== undefined) {
    throw invalid("both pin-source and pin-value are given");
  }
  const query: string[] = [];
  for (const [name, key] of QUERY_ATTRIBUTES) {
    const value = uri[key];
    if (value !== undefined) {
      query.push(`${name}=${encode(new TextEncoder().encode(value), QUERY_CHAR)}`);
    }
  }
  for (const { name, value } of uri.vendorQuery ?? []) {
    checkVendorName(name);
    query.push(`${name}=${encode(new TextEncoder().encode(value), QUERY_CHAR)}`);
  }
  return `pkcs11:${path.join(";")}${query.length > 0 ? `?${query.join("&")}` : ""}`;
}

function formatPathValue(kind: Kind, value: unknown): string {
  switch (kind) {
    case "bytes":
      return encodePkcs11Id(value as Uint8Array);
    case "type":
      if (!OBJECT_TYPES.includes(value as string)) throw invalid(`unknown type "${String(value)}"`);
      return value as string;
    case "version": {
      const { major, minor } = value as { major: number; minor: number };
      if (!Number.isSafeInteger(major) || !Number.isSafeInteger(minor) || major < 0 || minor < 0) {
        throw invalid("library-version needs non-negative integers");
      }
      return `${major}.${minor}`;
    }
    case "slot":
      if ((value as bigint) < 0n) throw invalid("slot-id is negative");
      return String(value);
    default:
      return encode(new TextEncoder().encode(value as string), PATH_CHAR);
  }
}

function checkVendorName(name: string): void {
  const standard = PATH_NAMES.includes(name) || QUERY_NAMES.includes(name);
  if (!NAME.test(name) || standard) throw invalid(`bad vendor attribute name "${name}"`);
}

function encode(bytes: Uint8Array, allowed: RegExp): string {
  let out = "";
  for (const byte of bytes) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && allowed.test(ch)
      ? ch
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Percent-encodes every byte of an object id, upper-case hex, as AosCore writes `id`.
 *
 * @example
 * ```ts
 * import { encodePkcs11Id } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.equal(encodePkcs11Id(new Uint8Array([0, 0xab, 0x10])), "%00%AB%10");
 * ```
 *
 * @param id The id bytes.
 * @returns `%XX` per byte.
 */
export function encodePkcs11Id(id: Uint8Array): string {
  let out = "";
  for (const byte of id) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  return out;
}

/**
 * A URI with the value of `pin-value` replaced by `***`, for logs and errors.
 * Text that is not a valid URI is redacted too.
 *
 * @example
 * ```ts
 * import { redactPkcs11Uri } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.equal(redactPkcs11Uri("pkcs11:token=a?pin-value=1234&x=y"), "pkcs11:token=a?pin-value=***&x=y");
 * ```
 *
 * @param text The URI.
 * @returns The URI without the PIN.
 */
export function redactPkcs11Uri(text: string): string {
  return text.replace(/(pin-value=)[^&;?]*/g, "$1***");
}

/** The module AosCore loads when a URL names none. */
export const DEFAULT_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

/** A key or certificate URL resolved as AosCore resolves it. */
export interface ResolvedPkcs11Url {
  /** `module-path`, or {@linkcode DEFAULT_PKCS11_MODULE}. */
  modulePath: string;
  /** `token`; empty when absent. */
  token: string;
  /** `object`: the label of the key or certificate. */
  label: string;
  /** `id`: the object id. */
  id: Uint8Array;
  /** `pin-value`, or the whole content of the `pin-source` file; empty for no login. */
  pin: string;
}

/**
 * Resolves a key or certificate URL the way AosCore does: `object` and `id`
 * are required, the module defaults to SoftHSM's, and the PIN comes from
 * `pin-value` or the whole content (not trimmed) of the `pin-source` file (a
 * path or a `file:` URI). Parsing is lenient, so URLs written by AosCore
 * with raw labels are read too.
 *
 * @example
 * ```ts
 * import { resolvePkcs11Url } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * const url = await resolvePkcs11Url("pkcs11:object=diskencryption;id=%AA%BB%CC?pin-value=1234");
 * assert.equal(url.modulePath, "/usr/lib/softhsm/libsofthsm2.so");
 * assert.equal(url.token, "");
 * assert.deepEqual(url.id, new Uint8Array([0xaa, 0xbb, 0xcc]));
 * ```
 *
 * @param url The URL.
 * @returns Module, token, label, id and PIN.
 * @throws {AosError} `failed` for another scheme, `notFound` without `object`
 * or `id`, `invalidArgument` for a malformed URL or both PIN attributes, and
 * the file error of an unreadable `pin-source`.
 */
export async function resolvePkcs11Url(url: string): Promise<ResolvedPkcs11Url> {
  if (!/^pkcs11:/i.test(url)) throw new AosError("failed", "Not a pkcs11: URL");
  const uri = parsePkcs11Uri(url, { lenient: true });
  if (uri.object === undefined) throw new AosError("notFound", "The PKCS#11 URL has no object");
  if (uri.id === undefined) throw new AosError("notFound", "The PKCS#11 URL has no id");
  let pin = uri.pinValue ?? "";
  if (uri.pinSource !== undefined) {
    const path = uri.pinSource.startsWith("file:") ? fileURLToPath(uri.pinSource) : uri.pinSource;
    try {
      pin = await readFile(path, "utf8");
    } catch (err) {
      throw AosError.wrap(err, undefined, `Cannot read the PIN file "${path}"`);
    }
  }
  return {
    modulePath: uri.modulePath ?? DEFAULT_PKCS11_MODULE,
    token: uri.token ?? "",
    label: uri.object,
    id: uri.id,
    pin,
  };
}

/**
 * Turns a key URL into the URL OpenSSL's pkcs11-provider takes: `object` and
 * `module-path` dropped (older libp11 picked wrong objects by label; the
 * provider loads its own module) and `type=<type>` put first.
 *
 * Deviation from AosCore: AosCore edits the text with regular expressions, so
 * when `object` is the last path attribute the `?` after it is lost; here the
 * URL is parsed and written again, which keeps the query.
 *
 * @example
 * ```ts
 * import { createPkcs11ProviderUrl } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   createPkcs11ProviderUrl(
 *     "pkcs11:token=aos;object=key;id=%01%02?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/p",
 *   ),
 *   "pkcs11:type=private;token=aos;id=%01%02?pin-source=/p",
 * );
 * ```
 *
 * @param keyUrl The key URL.
 * @param type The object type to select. Default: `"private"`.
 * @returns The provider URL.
 * @throws {AosError} `invalidArgument` for a malformed URL.
 */
export function createPkcs11ProviderUrl(
  keyUrl: string,
  type: Pkcs11ObjectType = "private",
): string {
  const { object: _object, modulePath: _modulePath, type: _type, ...rest } = parsePkcs11Uri(
    keyUrl,
    {
      lenient: true,
    },
  );
  const text = formatPkcs11Uri(rest).slice("pkcs11:".length);
  return `pkcs11:type=${type}${text === "" || text.startsWith("?") ? "" : ";"}${text}`;
}

/**
 * Wraps a URL in the `PKCS#11 PROVIDER URI` PEM that OpenSSL's
 * pkcs11-provider loads as a key file: DER `SEQUENCE { VisibleString
 * "PKCS#11 Provider URI v1.0", UTF8String url }`.
 *
 * @example
 * ```ts
 * import { pemEncodePkcs11Url } from "@aoscore/common/utils/pkcs11";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   pemEncodePkcs11Url("pkcs11:type=private;token=aos;id=%01%02"),
 *   "-----BEGIN PKCS#11 PROVIDER URI-----\n" +
 *     "MEQaGVBLQ1MjMTEgUHJvdmlkZXIgVVJJIHYxLjAMJ3BrY3MxMTp0eXBlPXByaXZh\n" +
 *     "dGU7dG9rZW49YW9zO2lkPSUwMSUwMg==\n" +
 *     "-----END PKCS#11 PROVIDER URI-----\n",
 * );
 * ```
 *
 * @param url The (provider) URL.
 * @returns The PEM text.
 */
export function pemEncodePkcs11Url(url: string): string {
  const der = new asn1js.Sequence({
    value: [
      new asn1js.VisibleString({ value: "PKCS#11 Provider URI v1.0" }),
      new asn1js.Utf8String({ value: url }),
    ],
  }).toBER(false);
  return pemEncode("PKCS#11 PROVIDER URI", new Uint8Array(der));
}
