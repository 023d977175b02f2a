// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import {
  decodeDiscoveryResponse,
  DISCOVERY_ERROR_CODES,
  encodeDiscoveryRequest,
} from "../../cloudprotocol/mod.ts";
import { assertFails } from "./_assert.ts";

const SYSTEM_ID = "a3f1c9e0-5d2b-4c7e-8f10-6b4d2e9a7c51";

Deno.test("the discovery request is version, systemId, supportedProtocols", () => {
  assert.equal(
    encodeDiscoveryRequest({ systemId: SYSTEM_ID }),
    `{"version":7,"systemId":"${SYSTEM_ID}","supportedProtocols":["wss"]}`,
  );
  assert.equal(
    encodeDiscoveryRequest({ supportedProtocols: ["wss", "ws"], systemId: "u", version: 8 }),
    '{"version":8,"systemId":"u","supportedProtocols":["wss","ws"]}',
  );
  assertFails(
    () => encodeDiscoveryRequest({ systemId: "x".repeat(65) }),
    "limitExceeded",
    "/systemId",
  );
  assertFails(
    () => encodeDiscoveryRequest({} as { systemId: string }),
    "missingField",
    "/systemId",
  );
});

Deno.test("the discovery response of the spec decodes, from text or bytes", () => {
  const body = `{"version": 7, "systemId": "${SYSTEM_ID}", "nextRequestDelay": 15000,
    "connectionInfo": ["wss://cm.aoscloud.example:9000/ws"], "authToken": "c2Vzc2lvbi10b2tlbg", "errorCode": 0}`;
  const expected = {
    version: 7,
    systemId: SYSTEM_ID,
    nextRequestDelay: 15000,
    connectionInfo: ["wss://cm.aoscloud.example:9000/ws"],
    authToken: "c2Vzc2lvbi10b2tlbg",
    errorCode: DISCOVERY_ERROR_CODES.noError,
  };
  assert.deepEqual(decodeDiscoveryResponse(body), expected);
  assert.deepEqual(decodeDiscoveryResponse(new TextEncoder().encode(body)), expected);
});

Deno.test("discovery response members match case-insensitively and default when absent", () => {
  assert.deepEqual(
    decodeDiscoveryResponse(
      '{"CONNECTIONINFO":["ws://a","wss://b"],"AuthToken":"t","ERRORCODE":"2","extra":{}}',
    ),
    {
      version: 0,
      systemId: "",
      nextRequestDelay: 0,
      connectionInfo: ["ws://a", "wss://b"],
      authToken: "t",
      errorCode: DISCOVERY_ERROR_CODES.repeatLater,
    },
  );
});

Deno.test("an empty or absent connectionInfo decodes as an empty list, for the caller to judge", () => {
  // The cloud answers so while no server is assigned to the unit yet.
  assert.deepEqual(decodeDiscoveryResponse('{"authToken":"t","nextRequestDelay":60000}'), {
    version: 0,
    systemId: "",
    nextRequestDelay: 60000,
    connectionInfo: [],
    authToken: "t",
    errorCode: DISCOVERY_ERROR_CODES.noError,
  });
  assert.deepEqual(decodeDiscoveryResponse('{"connectionInfo":[]}').connectionInfo, []);
  assert.deepEqual(decodeDiscoveryResponse('{"connectionInfo":null}').connectionInfo, []);
});

Deno.test("a broken discovery response is rejected", () => {
  assertFails(() => decodeDiscoveryResponse("<html>"), "syntax", "");
  assertFails(() => decodeDiscoveryResponse("[]"), "invalidType", "");
  assertFails(
    () => decodeDiscoveryResponse('{"connectionInfo":"wss://a"}'),
    "invalidType",
    "/connectionInfo",
  );
  assertFails(
    () => decodeDiscoveryResponse('{"connectionInfo":["wss://a"],"nextRequestDelay":-1}'),
    "outOfRange",
    "/nextRequestDelay",
  );
});
