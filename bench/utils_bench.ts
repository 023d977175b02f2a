// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Hot paths of utils: case-insensitive member lookup (every member of every
// cloud message goes through it), durations, timestamps and UUIDs.
import {
  CaseInsensitiveObject,
  formatDuration,
  formatTimestamp,
  getMember,
  nameUuid,
  parseDuration,
  parseTimestamp,
  uuidV4,
} from "../utils/mod.ts";

// A typical unit status message: 12 members, canonical spellings.
const message = JSON.parse(JSON.stringify({
  messageType: "unitStatus",
  isDeltaInfo: false,
  correlationId: "7a4f3bd2-1c5e-4f0b-9d8a-2e6c1b3f4a5d",
  nodeId: "main",
  nodeType: "mainType",
  unitConfig: [],
  nodes: [],
  items: [],
  instances: [],
  subjects: [],
  timestamp: "2024-01-31T12:00:00.000000Z",
  version: 7,
}));
const keys = Object.keys(message);
const upperKeys = keys.map((k) => k.toUpperCase());

Deno.bench("getMember, exact spelling (12 members)", { group: "lookup", baseline: true }, () => {
  for (const key of keys) getMember(message, key);
});

Deno.bench("getMember, other case (12 members)", { group: "lookup" }, () => {
  for (const key of upperKeys) getMember(message, key);
});

Deno.bench("lower-cased copy per message, then lookups (naive peer)", { group: "lookup" }, () => {
  const folded: Record<string, unknown> = {};
  for (const key in message) folded[key.toLowerCase()] = message[key];
  for (const key of upperKeys) void folded[key.toLowerCase()];
});

Deno.bench("CaseInsensitiveObject.getString + getUnsigned", () => {
  const obj = new CaseInsensitiveObject(message);
  obj.getString("nodeId");
  obj.getUnsigned("version");
});

Deno.bench("parseDuration Go-like 1h30m15s250ms", { group: "duration" }, () => {
  parseDuration("1h30m15s250ms");
});

Deno.bench("parseDuration ISO P1DT2H30M1.5S", { group: "duration" }, () => {
  parseDuration("P1DT2H30M1.5S");
});

Deno.bench("formatDuration 1 d 2 h 30 m 1.5 s", { group: "duration" }, () => {
  formatDuration(95_401_500);
});

const now = new Date(1706702400123);
Deno.bench("formatTimestamp", { group: "timestamp" }, () => {
  formatTimestamp(now);
});

Deno.bench("parseTimestamp", { group: "timestamp" }, () => {
  parseTimestamp("2024-01-31T12:00:00.123456Z");
});

Deno.bench("uuidV4", { group: "uuid" }, () => {
  uuidV4();
});

Deno.bench("nameUuid (v3, MD5)", { group: "uuid" }, () => {
  nameUuid("runtimeType-nodeID");
});
