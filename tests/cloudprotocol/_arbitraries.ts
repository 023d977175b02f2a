// Copyright 2026 the aos-common authors. Apache-2.0 license.
// fast-check arbitraries of valid models of every message: within the limits,
// and in the form the decoder returns (optional members absent rather than
// undefined, `preinstalled` only when true, timestamps as AosTime).
import fc from "fast-check";
import {
  ALERT_TAGS,
  AosTime,
  CERT_TYPES,
  CORE_COMPONENTS,
  DESIRED_NODE_STATES,
  DOWNLOAD_STATES,
  INSTANCE_STATES,
  ITEM_STATES,
  LOG_STATUSES,
  LOG_TYPES,
  type MessageType,
  NODE_STATES,
  STATE_RESULTS,
  SUBJECT_TYPES,
  UNIT_CONFIG_STATES,
  UPDATE_ITEM_TYPES,
} from "../../cloudprotocol/mod.ts";

type Arb = fc.Arbitrary<Record<string, unknown>>;

const utf8 = (s: string) => new TextEncoder().encode(s).length;

/** A string of at most `limit` UTF-8 bytes: ASCII with control characters, or any code points. */
export function text(limit: number): fc.Arbitrary<string> {
  const short = Math.min(limit, 24);
  return fc.oneof(
    fc.string({ unit: "binary-ascii", maxLength: short }),
    fc.string({ unit: "binary", maxLength: Math.max(1, Math.floor(short / 4)) }),
    fc.constantFrom("x", "é", "€", "😀").map((c) =>
      c.repeat(Math.floor(limit / utf8(c))) + "x".repeat(limit % utf8(c))
    ),
  ).filter((s) => utf8(s) <= limit);
}

const ID = text(64);
const VERSION = text(32);
const U64 = fc.oneof(fc.nat(1000), fc.maxSafeNat());
const F64 = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));
const TIME = fc.tuple(
  fc.integer({
    min: Date.UTC(1970, 0, 1) - 62_135_596_800_000,
    max: Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  }),
  fc.integer({ min: 0, max: 999 }),
).map(([ms, micros]) => new AosTime(ms, micros));
// Whole milliseconds up to 1000 years, which formatDuration writes exactly.
const DURATION = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 * 31_556_925_975 }));
const bytes = (limit: number) => fc.uint8Array({ maxLength: Math.min(limit, 64) });
const list = <T>(arb: fc.Arbitrary<T>, limit: number) =>
  fc.array(arb, { maxLength: Math.min(limit, 3) });
const oneOf = <T>(values: readonly T[]) => fc.constantFrom(...values);

/** A record whose `optional` members may be absent (never `undefined`). */
function rec(
  required: Record<string, fc.Arbitrary<unknown>>,
  optional: Record<string, fc.Arbitrary<unknown>> = {},
): Arb {
  return fc.record({ ...required, ...optional }, { requiredKeys: Object.keys(required) }) as Arb;
}

const ERROR = rec({
  aosCode: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  exitCode: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  message: text(64),
});
const WITH_ERROR = { error: ERROR };
const IDENT = { itemId: ID, subjectId: ID, instance: U64 };
const PREINSTALLED = { preinstalled: fc.constant(true) };
const FILTER = { itemId: ID, subjectId: ID, instance: U64 };
const CERT_IDENT = { type: oneOf(CERT_TYPES), nodeId: ID };

function message(
  type: MessageType,
  required: Record<string, fc.Arbitrary<unknown>>,
  optional = {},
): Arb {
  return rec(
    { messageType: fc.constant(type), ...required },
    { correlationId: text(37).filter((s) => s !== ""), ...optional },
  );
}

const rule = (threshold: fc.Arbitrary<number>) => ({
  minTimeoutMs: DURATION,
  minThreshold: threshold,
  maxThreshold: threshold,
});
const ARCH = rec({ architecture: text(16) }, { variant: text(16) });
const OS = rec({ os: text(16), features: list(text(64), 16) }, { version: VERSION });
const INDEX_LIKE = /^(0|[1-9]\d*)$/;
const ATTRS = fc.uniqueArray(
  rec({ name: text(16).filter((n) => !INDEX_LIKE.test(n)), value: text(64) }),
  { maxLength: 3, selector: (a) => a.name },
);

const NODE_INFO = rec({
  nodeId: ID,
  nodeType: ID,
  title: text(64),
  maxDMIPS: U64,
  totalRAM: U64,
  osInfo: OS,
  cpus: list(
    rec({ modelName: text(64), numCores: U64, numThreads: U64, archInfo: ARCH }, { maxDMIPS: U64 }),
    8,
  ),
  partitions: list(
    rec({ name: text(64), types: list(text(32), 4), path: text(512), totalSize: U64 }),
    4,
  ),
  attrs: ATTRS,
  state: oneOf(NODE_STATES),
  isConnected: fc.boolean(),
  runtimes: list(
    rec(
      { runtimeId: ID, runtimeType: text(64), archInfo: ARCH, osInfo: OS, maxInstances: U64 },
      { maxDMIPS: U64, allowedDMIPS: U64, totalRAM: U64, allowedRAM: U64 },
    ),
    4,
  ),
  resources: list(rec({ name: text(64), sharedCount: U64 }), 4),
}, { physicalRAM: U64, ...WITH_ERROR });

const SAMPLE = rec({
  timestamp: TIME,
  ram: U64,
  cpu: F64,
  download: U64,
  upload: U64,
  partitions: list(rec({ name: text(64), usedSize: U64 }), 4),
});

const ALERT_SHAPES: Record<typeof ALERT_TAGS[number], Record<string, fc.Arbitrary<unknown>>> = {
  systemAlert: { nodeId: ID, message: text(256) },
  coreAlert: { nodeId: ID, coreComponent: oneOf(CORE_COMPONENTS), message: text(256) },
  resourceAllocateAlert: { ...IDENT, nodeId: ID, resource: text(64), message: text(256) },
  systemQuotaAlert: { nodeId: ID, parameter: text(16), value: U64 },
  instanceQuotaAlert: { ...IDENT, parameter: text(16), value: U64 },
  downloadProgressAlert: {
    digest: text(136),
    url: text(4096),
    downloadedBytes: U64,
    totalBytes: U64,
    state: oneOf(DOWNLOAD_STATES),
  },
  updateItemInstanceAlert: { ...IDENT, version: VERSION, message: text(256) },
};
const ALERT = fc.oneof(
  ...ALERT_TAGS.map((tag) => {
    const extra = tag === "downloadProgressAlert"
      ? { reason: text(256), ...WITH_ERROR }
      : "itemId" in ALERT_SHAPES[tag]
      ? PREINSTALLED
      : {};
    return rec({ tag: fc.constant(tag), timestamp: TIME, ...ALERT_SHAPES[tag] }, extra);
  }),
);

/** A valid model of every message type. */
export const MESSAGES: { readonly [T in MessageType]: Arb } = {
  ack: message("ack", {}),
  nack: message("nack", { retryAfter: U64 }),
  alerts: message("alerts", { items: list(ALERT, 16) }),
  blobUrls: message("blobUrls", {
    items: list(
      rec({ digest: text(136), urls: list(text(4096), 8), sha256: bytes(32), size: U64 }, {
        decryptInfo: rec({ blockAlg: text(64), blockIv: bytes(16), blockKey: bytes(64) }),
        signInfo: rec({
          chainName: text(64),
          alg: text(64),
          value: bytes(512),
          trustedTimestamp: TIME,
          ocspValues: list(text(64), 4),
        }),
      }),
      16,
    ),
  }),
  requestBlobUrls: message("requestBlobUrls", { digests: list(text(136), 16) }),
  desiredStatus: message("desiredStatus", {
    nodes: list(rec({ nodeId: ID, state: oneOf(DESIRED_NODE_STATES) }), 16),
    items: list(
      rec({
        itemId: ID,
        itemType: oneOf(UPDATE_ITEM_TYPES),
        version: VERSION,
        ownerId: ID,
        indexDigest: text(136),
      }),
      64,
    ),
    instances: list(
      rec({
        itemId: ID,
        subjectId: ID,
        priority: U64,
        numInstances: U64,
        labels: list(text(64), 4),
      }),
      256,
    ),
    subjects: list(
      rec({ subjectId: ID, subjectType: oneOf(SUBJECT_TYPES), isUnitSubject: fc.boolean() }),
      64,
    ),
    certificates: list(rec({ certificate: bytes(2048), fingerprint: text(64) }), 32),
    certificateChains: list(rec({ name: text(64), fingerprints: list(text(64), 4) }), 8),
  }, {
    unitConfig: rec({
      formatVersion: VERSION,
      version: VERSION,
      nodes: list(
        rec({
          nodeId: ID,
          nodeType: ID,
          version: VERSION,
          labels: list(text(64), 4),
          priority: U64,
        }, {
          alertRules: rec(
            { partitions: list(rec({ ...rule(F64), name: text(64) }), 4) },
            {
              ram: rec(rule(F64)),
              cpu: rec(rule(F64)),
              download: rec(rule(U64)),
              upload: rec(rule(U64)),
            },
          ),
          resourceRatios: rec({}, { cpu: F64, ram: F64, storage: F64, state: F64 }),
        }),
        16,
      ),
    }),
  }),
  unitStatus: message("unitStatus", { isDeltaInfo: fc.boolean() }, {
    unitConfig: list(rec({ version: VERSION, state: oneOf(UNIT_CONFIG_STATES) }, WITH_ERROR), 2),
    nodes: list(NODE_INFO, 16),
    items: list(
      rec({
        itemId: ID,
        itemType: oneOf(UPDATE_ITEM_TYPES),
        version: VERSION,
        state: oneOf(ITEM_STATES),
      }, {
        ...PREINSTALLED,
        ...WITH_ERROR,
      }),
      128,
    ),
    instances: list(
      rec({
        itemId: ID,
        itemType: oneOf(UPDATE_ITEM_TYPES),
        subjectId: ID,
        version: VERSION,
        instances: list(
          rec(
            {
              nodeId: ID,
              runtimeId: ID,
              instance: U64,
              stateChecksum: bytes(32),
              state: oneOf(INSTANCE_STATES),
            },
            WITH_ERROR,
          ),
          16,
        ),
      }, PREINSTALLED),
      64,
    ),
    subjects: list(ID, 64),
  }),
  monitoringData: message("monitoringData", {
    nodes: list(
      rec({
        nodeId: ID,
        states: list(
          rec({ timestamp: TIME, state: oneOf(NODE_STATES), isConnected: fc.boolean() }),
          16,
        ),
        items: list(SAMPLE, 16),
      }),
      16,
    ),
    instances: list(
      rec({
        ...IDENT,
        nodeId: ID,
        states: list(rec({ timestamp: TIME, state: oneOf(INSTANCE_STATES) }), 16),
        items: list(SAMPLE, 16),
      }, PREINSTALLED),
      256,
    ),
  }),
  requestLog: message("requestLog", {
    logType: oneOf(LOG_TYPES),
    filter: rec({ nodeIds: list(ID, 16) }, { from: TIME, till: TIME, ...FILTER }),
  }, {
    uploadOptions: rec(
      { type: fc.constant("https"), url: text(4096), bearerToken: text(256) },
      { bearerTokenTtl: TIME },
    ),
  }),
  pushLog: message("pushLog", {
    nodeId: ID,
    part: U64,
    partsCount: U64,
    content: bytes(262_144),
    status: oneOf(LOG_STATUSES),
  }, WITH_ERROR),
  stateRequest: message("stateRequest", { ...IDENT, default: fc.boolean() }, PREINSTALLED),
  newState: message(
    "newState",
    { ...IDENT, stateChecksum: bytes(32), state: text(65_536) },
    PREINSTALLED,
  ),
  updateState: message(
    "updateState",
    { ...IDENT, stateChecksum: bytes(32), state: text(65_536) },
    PREINSTALLED,
  ),
  stateAcceptance: message("stateAcceptance", {
    ...IDENT,
    checksum: bytes(32),
    result: oneOf(STATE_RESULTS),
    reason: text(256),
  }, PREINSTALLED),
  overrideEnvVars: message("overrideEnvVars", {
    items: list(
      rec(
        { variables: list(rec({ name: text(64), value: text(256) }, { ttl: TIME }), 16) },
        FILTER,
      ),
      256,
    ),
  }),
  overrideEnvVarsStatus: message("overrideEnvVarsStatus", {
    statuses: list(rec({ ...IDENT, name: text(64) }, { ...PREINSTALLED, ...WITH_ERROR }), 4096),
  }),
  renewCertificatesNotification: message("renewCertificatesNotification", {
    certificates: list(rec({ ...CERT_IDENT, serial: text(40) }, { validTill: TIME }), 80),
    unitSecrets: rec({ version: VERSION, nodes: list(rec({ nodeId: ID, secret: text(64) }), 16) }),
  }),
  issueUnitCertificates: message("issueUnitCertificates", {
    requests: list(rec({ ...CERT_IDENT, csr: text(4096) }), 80),
  }),
  issuedUnitCertificates: message("issuedUnitCertificates", {
    certificates: list(rec({ ...CERT_IDENT, certificateChain: text(16_384) }), 80),
  }),
  installUnitCertificatesConfirmation: message("installUnitCertificatesConfirmation", {
    certificates: list(rec({ ...CERT_IDENT, serial: text(40) }, WITH_ERROR), 80),
  }),
  startProvisioningRequest: message("startProvisioningRequest", { nodeId: ID, password: text(64) }),
  startProvisioningResponse: message("startProvisioningResponse", {
    nodeId: ID,
    csrs: list(rec({ type: oneOf(CERT_TYPES), csr: text(4096) }), 5),
  }, WITH_ERROR),
  finishProvisioningRequest: message("finishProvisioningRequest", {
    nodeId: ID,
    certificates: list(rec({ type: oneOf(CERT_TYPES), chain: text(16_384) }), 5),
    password: text(64),
  }),
  finishProvisioningResponse: message("finishProvisioningResponse", { nodeId: ID }, WITH_ERROR),
  deprovisioningRequest: message("deprovisioningRequest", { nodeId: ID, password: text(64) }),
  deprovisioningResponse: message("deprovisioningResponse", { nodeId: ID }, WITH_ERROR),
};
