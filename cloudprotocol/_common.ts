// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Codecs of the structures several families share (spec §3): identity
// references, InstanceIdent, InstanceFilter, ErrorInfo, CertIdent, and the
// members every message has.

import { getMember, isJsonObject, type JsonObject } from "../utils/json.ts";
import {
  at,
  constant,
  type Entry,
  Fault,
  type Field,
  omitEmpty,
  optional,
  required,
  rowCodec,
  struct,
  type Type,
  withDefault,
  wrongType,
} from "./_codec.ts";
import { LIMITS } from "./_limits.ts";
import { enumOf, i32, str, truncateUtf8, u64 } from "./_scalars.ts";
import {
  CERT_TYPES,
  type ErrorInfo,
  type MessageType,
  UPDATE_ITEM_TYPES,
  type UpdateItemType,
} from "./types.ts";

/** An ID (item, subject, owner, node, runtime; ≤ 64 bytes). */
export const ID: Type<string> = str(LIMITS.id);
/** A version string (≤ 32 bytes). */
export const VERSION: Type<string> = str(LIMITS.version);

/**
 * An identity object reduced to one member: `{"codename": id}` or `{"id": id}`.
 * With `must`, the member is required; otherwise it reads as `""` when absent.
 */
export function ref(
  member: "id" | "codename",
  limit: number = LIMITS.id,
  must = true,
): Type<string> {
  const text = str(limit);
  const name = `{${member}}`;
  return {
    name,
    decode(value) {
      if (!isJsonObject(value)) throw wrongType(`an object ${name}`, value);
      const raw = getMember(value, member);
      if (raw === undefined) {
        if (must) throw at(new Fault("missingField", "missing"), member);
        return "";
      }
      try {
        return text.decode(raw);
      } catch (err) {
        throw at(err, member);
      }
    },
    encode(id) {
      let json: unknown;
      try {
        json = text.encode(id);
      } catch (err) {
        throw at(err, member);
      }
      // Literals with fixed keys: a computed key makes a slow object.
      return member === "id" ? { id: json } : { codename: json };
    },
    empty: () => "",
    isEmpty: (id) => id === "",
  };
}

/** NodeRef: `{"codename": nodeId}`, codename required. */
export const NODE_REF: Type<string> = ref("codename");

/** `errorInfo`: absent, or an `aosCode` of 0 or less, means no error. */
export const ERROR_INFO: Type<ErrorInfo> = {
  name: "errorInfo",
  decode(value) {
    const info = ERROR_INFO_STRUCT.decode(value)!;
    if (info.aosCode <= 0) return undefined;
    info.message = truncateUtf8(info.message, LIMITS.errorMessage);
    return info;
  },
  encode(info) {
    if (typeof info === "object" && info !== null && info.aosCode <= 0) return undefined;
    const json = ERROR_INFO_STRUCT.encode(info) as ErrorInfo;
    json.message = truncateUtf8(json.message, LIMITS.errorMessage);
    return json;
  },
  empty: () => ({ aosCode: 0, exitCode: 0, message: "" }),
  isEmpty: (info) => info.aosCode <= 0,
};

const ERROR_INFO_STRUCT = struct<ErrorInfo>("errorInfo", [
  withDefault("aosCode", "aosCode", i32),
  withDefault("exitCode", "exitCode", i32),
  // Any length is read: AosCore truncates this one member instead of failing.
  withDefault("message", "message", str(Infinity)),
]);

/** The `errorInfo` row every status carries (`O`/`E`). */
export const ERROR: Entry = optional("errorInfo", "error", ERROR_INFO);

/** The certificate type, `offline` when absent (`D(offline)`/`A`). */
export const CERT_TYPE: Type<typeof CERT_TYPES[number]> = enumOf("CertType", CERT_TYPES);

/** CertIdent rows: `type` then `node`. */
export const CERT_IDENT: readonly Entry[] = [
  withDefault("type", "type", CERT_TYPE),
  required("node", "nodeId", NODE_REF),
];

/** The first rows of every message: `messageType` and `correlationId`. */
export function messageRows(type: MessageType): Entry[] {
  return [
    constant("messageType", "messageType", type),
    omitEmpty("correlationId", "correlationId", str(LIMITS.correlationId)),
  ];
}

/** Options of {@linkcode instanceIdent}. */
export interface IdentOptions {
  /** How `instance` is read: required, `0` when absent, or not a member at all. */
  instance: "required" | "default" | "none";
  /** Whether `item` carries a required `type` (model `itemType`). */
  itemType?: boolean;
  /**
   * Whether there is a `subject`.
   *
   * @default {true}
   */
  subject?: boolean;
}

/** An item type; an unknown one reads as absent (AosCore logs it and goes on). */
export const ITEM_TYPE: Type<UpdateItemType> = enumOf("UpdateItemType", UPDATE_ITEM_TYPES, true);

/**
 * InstanceIdent, flattened (§3.2): `item` and `subject` objects (required)
 * and `instance`. An `item` with a `codename` and no `id` is preinstalled:
 * both IDs are then read from and written to `codename`.
 */
export function instanceIdent(options: IdentOptions): Field {
  const instance = rowCodec([
    options.instance === "required"
      ? required("instance", "instance", u64)
      : withDefault("instance", "instance", u64),
  ]);
  const itemType = rowCodec([required("type", "itemType", ITEM_TYPE)]);
  return {
    decode(src, out) {
      const item = member(src, "item");
      const subject = options.subject === false ? undefined : member(src, "subject");
      const preinstalled = getMember(item, "id") === undefined &&
        getMember(item, "codename") !== undefined;
      const key = preinstalled ? "codename" : "id";
      out.itemId = readId(item, key, "item");
      if (options.itemType) {
        try {
          itemType.read(item, out);
        } catch (err) {
          throw at(err, "item");
        }
      }
      if (subject !== undefined) {
        out.subjectId = readId(subject, preinstalled ? firstKey(subject) : "id", "subject");
      }
      if (options.instance !== "none") instance.read(src, out);
      if (preinstalled) out.preinstalled = true;
    },
    encode(model, out) {
      const key = model.preinstalled === true ? "codename" : "id";
      const item: Record<string, unknown> = {};
      writeId(model, "itemId", item, key, "item");
      if (options.itemType) {
        try {
          itemType.write(model, item);
        } catch (err) {
          throw at(err, "item");
        }
      }
      out.item = item;
      if (options.subject !== false) {
        const subject: Record<string, unknown> = {};
        writeId(model, "subjectId", subject, key, "subject");
        out.subject = subject;
      }
      if (options.instance !== "none") instance.write(model, out);
    },
  };
}

function member(src: JsonObject, key: string): JsonObject {
  const value = getMember(src, key);
  if (value === undefined) throw at(new Fault("missingField", "missing"), key);
  if (!isJsonObject(value)) throw at(wrongType("an object", value), key);
  return value;
}

/** A preinstalled subject is normally `{"codename"}`, but `{"id"}` is read too. */
function firstKey(subject: JsonObject): "id" | "codename" {
  return getMember(subject, "codename") === undefined ? "id" : "codename";
}

function readId(obj: JsonObject, key: string, parent: string): string {
  const value = getMember(obj, key);
  if (value === undefined) return "";
  try {
    return ID.decode(value)!;
  } catch (err) {
    throw at(at(err, key), parent);
  }
}

function writeId(
  model: Record<string, unknown>,
  prop: string,
  out: Record<string, unknown>,
  key: string,
  parent: string,
): void {
  const value = model[prop];
  if (value === undefined) throw at(new Fault("missingField", `missing ${prop}`), parent);
  try {
    out[key] = ID.encode(value as string);
  } catch (err) {
    throw at(at(err, key), parent);
  }
}

const FILTER_ID = ref("id", LIMITS.id, false);

/** InstanceFilter, flattened (§3.3): each of `item`, `subject`, `instance` optional. */
export const INSTANCE_FILTER: readonly Entry[] = [
  optional("item", "itemId", FILTER_ID),
  optional("subject", "subjectId", FILTER_ID),
  optional("instance", "instance", u64),
];
