// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  AosTime,
  type CloudMessage,
  CloudProtocolError,
  decodeMessage,
  encodeMessage,
} from "../../cloudprotocol/mod.ts";
import { AosError } from "../../utils/errors.ts";
import { AosTime as UtilsAosTime } from "../../utils/time.ts";
import { assertFails } from "./_assert.ts";

Deno.test("encodeMessage checks the message type, enums, limits and types", () => {
  assertFails(
    () => encodeMessage({ messageType: "bogus" } as unknown as CloudMessage),
    "unknownMessageType",
    "/messageType",
  );
  assertFails(() => encodeMessage(null as unknown as CloudMessage), "invalidType", "");
  assertFails(
    () =>
      encodeMessage({
        messageType: "unitStatus",
        isDeltaInfo: true,
        unitConfig: [{ version: "", state: "bogus" as "absent" }],
      }),
    "invalidEnum",
    "/unitConfig/0/state",
  );
  assertFails(
    () => encodeMessage({ messageType: "unitStatus", isDeltaInfo: "yes" as unknown as boolean }),
    "invalidType",
    "/isDeltaInfo",
  );
  assertFails(
    () =>
      encodeMessage({
        messageType: "monitoringData",
        nodes: [{
          nodeId: "n",
          states: [],
          items: [{
            timestamp: new Date(0),
            ram: 0,
            cpu: Infinity,
            download: 0,
            upload: 0,
            partitions: [],
          }],
        }],
        instances: [],
      }),
    "outOfRange",
    "/nodes/0/items/0/cpu",
  );
  assertFails(
    () =>
      encodeMessage(
        {
          messageType: "stateRequest",
          itemId: "i",
          subjectId: "s",
          instance: 0,
        } as unknown as CloudMessage,
      ),
    "missingField",
    "/default",
  );
  assertFails(
    () =>
      encodeMessage({
        messageType: "newState",
        itemId: "i",
        subjectId: "s",
        instance: 0,
        stateChecksum: new Uint8Array(33),
        state: "",
      }),
    "limitExceeded",
    "/stateChecksum",
  );
  assertFails(
    () =>
      encodeMessage({
        messageType: "requestLog",
        logType: "systemLog",
        filter: { nodeIds: [], from: new Date(NaN) },
      }),
    "invalidFormat",
    "/filter/from",
  );
});

Deno.test("decodeMessage needs an object and reports paths relative to it", () => {
  assertFails(() => decodeMessage([]), "envelope", "");
  assertFails(() => decodeMessage("ack"), "envelope", "");
  assertFails(
    () => decodeMessage({ messageType: "pushLog", node: { codename: 5 }, part: [] }),
    "invalidType",
    "/part",
  );
});

Deno.test("a CloudProtocolError message names where and what", () => {
  try {
    decodeMessage({
      messageType: "desiredStatus",
      nodes: [{ item: { codename: "n" }, state: "asleep" }],
    });
    assert.fail("not reached");
  } catch (err) {
    assert.ok(err instanceof CloudProtocolError);
    assert.ok(err instanceof AosError);
    assert.equal(
      err.message,
      'Cannot decode cloud message at /nodes/0/state: unknown DesiredNodeState "asleep"',
    );
    assert.equal(err.aosCode, 5);
  }
});

Deno.test("cloudprotocol's AosTime is the timestamp model of utils", () => {
  assert.equal(AosTime, UtilsAosTime);
});
