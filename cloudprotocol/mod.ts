// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Wire codec for every JSON message between a unit and AosCloud (protocol
 * version 7), byte-compatible with AosCore: {@linkcode decodeFrame} and
 * {@linkcode encodeFrame} for WebSocket payloads, {@linkcode decodeMessage} and
 * {@linkcode encodeMessage} for the `data` object, the service-discovery
 * bodies, the alert types with the {@linkcode AlertSender} interface, and the
 * cloud connection: the {@linkcode CloudConnection} interface and
 * {@linkcode WebSocketCloudConnection}, its client (discovery, WebSocket,
 * at-least-once delivery, reconnect). `@aoscore/common/cloudprotocol/testing`
 * holds `CloudSimulator`, a scriptable AosCloud for tests.
 *
 * Decoding follows AosCore: member names match case-insensitively at every
 * level, `null` is absent, unknown members are ignored, limits are UTF-8
 * bytes, and the first problem throws a {@linkcode CloudProtocolError} with
 * its kind and JSON path (nothing partial is returned). Encoding writes
 * members in AosCore's order, optional ones only when set, and checks limits
 * and enums, so it never produces a frame the peer would reject.
 *
 * The model flattens identities (`{"node": {"codename": "main"}}` is
 * `nodeId: "main"`), calls `errorInfo` `error`, holds hex and base64 as
 * `Uint8Array`, timestamps as `Date` (decoded ones are {@linkcode AosTime},
 * which keeps microseconds) and durations as milliseconds. uint64 members
 * are `number`s: a value beyond `Number.MAX_SAFE_INTEGER` is `outOfRange`,
 * never rounded. Every decoded `Uint8Array` owns its buffer.
 *
 * Speed: on its first use, each structure table is compiled into a decoder
 * and an encoder of its own (generated from the table's names, never from
 * data); importing the module compiles nothing. Where the runtime forbids
 * code generation from strings, the tables are interpreted instead: same
 * results, up to a fifth slower.
 *
 * Deviations from AosCore, fixed here (spec §5.4 and the "TS" notes):
 * - a payload that is not an object, or a non-object `header`/`data`, is an
 *   `envelope` error, and a non-numeric or negative `header.version` is
 *   `invalidType`/`outOfRange` (AosCore's process terminates);
 * - strings keep a `\u0000` and what follows (AosCore cuts them there);
 *   objects and arrays are not read as strings (AosCore reads their JSON text);
 * - an integer that does not fit its field, or is beyond 2^53, is `outOfRange`
 *   (AosCore reads a literal rounding to 2^64 as 0);
 * - timestamps: an offset (`+02:00`) is applied, non-digit or out-of-range
 *   fields are `invalidFormat` (AosCore ignores the offset and normalises);
 * - plain-seconds durations of 2^31 s or more are `outOfRange` (AosCore
 *   overflows an int32); the fractional seconds AosCore writes are read back;
 * - base64: a dangling character, missing padding or a `=` inside the data is
 *   `invalidFormat` (AosCore drops or misreads them); the encoder writes one
 *   unbroken line (AosCore breaks lines every 72 characters);
 * - a partition alert-rule name over 64 bytes is `limitExceeded` (AosCore
 *   makes it `""`); `errorInfo.message` is still truncated to 64 bytes, but
 *   at a character boundary;
 * - `desiredStatus` is written with its `messageType` (and `correlationId`
 *   when set), which AosCore's test-only encoder leaves out;
 * - a negative `nack.retryAfter` reads as 0;
 * - an `item` with only a `codename` is a preinstalled ident
 *   (`preinstalled: true`) rather than an empty ID, so unit messages round-trip;
 * - when two member names differ only in case, the exact spelling wins, then
 *   the first in the text (AosCore takes the first in byte order);
 * - floats are written with JavaScript's shortest round-trip digits; AosCore
 *   switches to exponent notation at other magnitudes (same value, other text);
 * - a payload over `maxBytes` (8 MiB by default) is `limitExceeded` before it
 *   is parsed.
 *
 * @example Decode a frame from the cloud
 * ```ts
 * import { CLOUD_TO_UNIT, decodeFrame } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const payload = new TextEncoder().encode(JSON.stringify({
 *   header: { version: 7, systemId: "unit-1", createdAt: "2026-05-07T06:10:00.000000Z", txn: "5e6f" },
 *   data: {
 *     messageType: "requestLog",
 *     correlationId: "8c7b6a59",
 *     logType: "systemLog",
 *     filter: { from: "2026-05-07T00:00:00.123456Z", nodeIds: [{ codename: "main" }] },
 *   },
 * }));
 * const { header, data } = decodeFrame(payload, { expectedSystemId: "unit-1", accept: CLOUD_TO_UNIT });
 * assert.equal(header.txn, "5e6f");
 * assert.equal(data.messageType, "requestLog");
 * if (data.messageType === "requestLog") {
 *   assert.deepEqual(data.filter.nodeIds, ["main"]);
 *   assert.equal(data.filter.from?.toISOString(), "2026-05-07T00:00:00.123Z");
 * }
 * ```
 *
 * @example Build a unitStatus frame
 * ```ts
 * import { encodeFrame, PROTOCOL_VERSION, type UnitStatus } from "@aoscore/common/cloudprotocol";
 * import assert from "node:assert/strict";
 *
 * const status: UnitStatus = {
 *   messageType: "unitStatus",
 *   isDeltaInfo: true,
 *   items: [{ itemId: "aos-diag", itemType: "service", preinstalled: true, version: "1.0.0", state: "installed" }],
 *   instances: [],
 * };
 * const bytes = encodeFrame({
 *   header: { version: PROTOCOL_VERSION, systemId: "unit-1", createdAt: new Date(0), txn: "2a3b" },
 *   data: status,
 * });
 * assert.equal(
 *   new TextDecoder().decode(bytes),
 *   '{"header":{"version":7,"systemId":"unit-1","createdAt":"1970-01-01T00:00:00.000000Z","txn":"2a3b"},' +
 *     '"data":{"messageType":"unitStatus","isDeltaInfo":true,' +
 *     '"items":[{"item":{"codename":"aos-diag","type":"service"},"version":"1.0.0","state":"installed"}],' +
 *     '"instances":[]}}',
 * );
 * ```
 *
 * @example Connect to the cloud, send, and receive (here against the simulator)
 * ```ts
 * import { type DesiredStatus, WebSocketCloudConnection } from "@aoscore/common/cloudprotocol";
 * import { CloudSimulator } from "@aoscore/common/cloudprotocol/testing";
 * import assert from "node:assert/strict";
 *
 * await using cloud = await CloudSimulator.start({ systemId: "unit-1" });
 * await using conn = new WebSocketCloudConnection({
 *   discoveryUrl: cloud.discoveryUrl, // the real one is AosCloud's https:// discovery URL
 *   systemId: "unit-1",
 * });
 * const received = Promise.withResolvers<DesiredStatus>();
 * using _sub = conn.subscribe("desiredStatus", (message) => received.resolve(message));
 * await conn.connect();
 *
 * await conn.send({ messageType: "alerts", items: [] }); // resolves when the cloud acked it
 * await cloud.push({
 *   messageType: "desiredStatus",
 *   nodes: [{ nodeId: "main", state: "provisioned" }],
 *   items: [],
 *   instances: [],
 *   subjects: [],
 *   certificates: [],
 *   certificateChains: [],
 * });
 * assert.deepEqual((await received.promise).nodes, [{ nodeId: "main", state: "provisioned" }]);
 * assert.equal(cloud.messages("alerts").length, 1);
 * ```
 *
 * @module
 */
export * from "./types.ts";
export * from "./error.ts";
export * from "./time.ts";
export * from "./frame.ts";
export * from "./message.ts";
export * from "./discovery.ts";
export * from "./connection.ts";
export * from "./delivery_error.ts";
export * from "./websocket_connection.ts";
export type { AckMessage, NackMessage } from "./ack.ts";
export type { AlertsMessage } from "./alerts.ts";
export type {
  Alert,
  AlertBase,
  AlertSender,
  CoreAlert,
  DownloadAlert,
  InstanceQuotaAlert,
  ResourceAllocateAlert,
  SystemAlert,
  SystemQuotaAlert,
  UpdateItemInstanceAlert,
} from "../utils/alerts.ts";
export type { BlobInfo, BlobUrls, DecryptInfo, RequestBlobUrls, SignInfo } from "./blobs.ts";
export type {
  InstallCertStatus,
  InstallUnitCertificatesConfirmation,
  IssueCertData,
  IssuedCertData,
  IssuedUnitCertificates,
  IssueUnitCertificates,
  NodeSecret,
  RenewCertData,
  RenewCertificatesNotification,
  UnitSecrets,
} from "./certificates.ts";
export type {
  CertificateChain,
  DesiredCertificate,
  DesiredInstance,
  DesiredNode,
  DesiredStatus,
  SubjectInfo,
  UpdateItemInfo,
} from "./desired_status.ts";
export type {
  EnvVarInfo,
  EnvVarsInstanceInfo,
  EnvVarStatus,
  OverrideEnvVars,
  OverrideEnvVarsStatus,
} from "./env_vars.ts";
export type { LogFilter, LogUploadOptions, PushLog, RequestLog } from "./log.ts";
export type { MonitoringMessage } from "./monitoring.ts";
export type {
  DeprovisioningRequest,
  DeprovisioningResponse,
  FinishProvisioningRequest,
  FinishProvisioningResponse,
  ProvisioningCertificate,
  ProvisioningCSR,
  StartProvisioningRequest,
  StartProvisioningResponse,
} from "./provisioning.ts";
export type { NewState, StateAcceptance, StateRequest, UpdateState } from "./state.ts";
export type { InstanceStatusInfo, ItemInstances, ItemStatus, UnitStatus } from "./unit_status.ts";
