// Copyright 2026 the aos-common authors. Apache-2.0 license.
// AosCore's lenient conversions of spec §2.5: numeric strings, truncated
// fractions, booleans, numbers read as text; what stays an error.
import assert from "node:assert/strict";
import {
  decodeMessage,
  type DesiredStatus,
  encodeMessage,
  type PushLog,
  type UpdateState,
} from "../../cloudprotocol/mod.ts";
import { assertFails } from "./_assert.ts";

function deprovision(password: unknown) {
  return decodeMessage({ messageType: "deprovisioningRequest", node: { codename: "n" }, password });
}

Deno.test("integers: numeric strings, truncated fractions and booleans read; negatives and huge values out of range", () => {
  const part = (value: unknown) =>
    (decodeMessage({
      messageType: "pushLog",
      node: { codename: "n" },
      part: value,
      partsCount: 1,
      content: "",
      status: "ok",
    }) as PushLog).part;
  assert.equal(part("10"), 10);
  assert.equal(part("  10"), 10);
  assert.equal(part(12.7), 12);
  assert.equal(part(true), 1);
  assert.equal(part(false), 0);
  assert.equal(part(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  for (const bad of [-1, -0.5, 2 ** 53, 18446744073709551615, 1e400, "9007199254740993"]) {
    assertFails(() => part(bad), "outOfRange", "/part");
  }
  for (const bad of ["12.7", "0x10", "12abc", "-5", "", {}, []]) {
    assertFails(() => part(bad), "invalidType", "/part");
  }
  const aosCode = (value: unknown) =>
    decodeMessage({
      messageType: "deprovisioningResponse",
      node: { codename: "n" },
      errorInfo: { aosCode: value },
    }) as { error?: { aosCode: number } };
  assert.equal(aosCode("-5").error, undefined);
  assertFails(() => aosCode(2 ** 31), "outOfRange", "/errorInfo/aosCode");
  const encodePart = (value: number) =>
    encodeMessage({
      messageType: "pushLog",
      nodeId: "n",
      part: value,
      partsCount: 1,
      content: new Uint8Array(0),
      status: "ok",
    });
  assertFails(() => encodePart(1.5), "invalidType", "/part");
  assertFails(() => encodePart(-1), "outOfRange", "/part");
  assertFails(() => encodePart(Number.NaN), "outOfRange", "/part");
});

Deno.test("floats, booleans and strings: AosCore's conversions, objects rejected", () => {
  const ratios = (cpu: unknown) =>
    (decodeMessage({
      messageType: "desiredStatus",
      unitConfig: { nodes: [{ nodeGroupSubject: { codename: "t" }, resourceRatios: { cpu } }] },
    }) as DesiredStatus).unitConfig!.nodes[0]!.resourceRatios!.cpu;
  assert.equal(ratios("55.5"), 55.5);
  assert.equal(ratios(true), 1);
  assertFails(() => ratios("abc"), "invalidType", "/unitConfig/nodes/0/resourceRatios/cpu");
  assertFails(() => ratios("1e999"), "outOfRange", "/unitConfig/nodes/0/resourceRatios/cpu");
  const subject = (isReportedFromUnit: unknown) =>
    (decodeMessage({
      messageType: "desiredStatus",
      subjects: [{ identity: { id: "s" }, type: "user", isReportedFromUnit }],
    }) as DesiredStatus).subjects[0]!.isUnitSubject;
  for (const yes of [true, 1, -2, "yes", "TRUE", "1"]) {
    assert.equal(subject(yes), true, String(yes));
  }
  for (const no of [false, 0, "", "0", "false", "FALSE"]) {
    assert.equal(subject(no), false, String(no));
  }
  assertFails(() => subject({}), "invalidType", "/subjects/0/isReportedFromUnit");
  assert.equal((deprovision(7) as { password: string }).password, "7");
  assert.equal((deprovision(false) as { password: string }).password, "false");
  assertFails(() => deprovision({ a: 1 }), "invalidType", "/password");
  assertFails(() => deprovision(["a"]), "invalidType", "/password");
  assertFails(
    () =>
      encodeMessage({
        messageType: "deprovisioningRequest",
        nodeId: "n",
        password: 7 as unknown as string,
      }),
    "invalidType",
    "/password",
  );
  assertFails(
    () =>
      encodeMessage({
        messageType: "deprovisioningRequest",
        nodeId: "n",
        password: "\ud800",
      }),
    "invalidFormat",
    "/password",
  );
});

Deno.test("a string keeps \\u0000 and what follows (AosCore cuts it there)", () => {
  const msg = decodeMessage(
    JSON.parse('{"messageType":"updateState","item":{},"subject":{},"state":"ab\\u0000cd"}'),
  );
  assert.equal((msg as UpdateState).state, "ab\u0000cd");
});
