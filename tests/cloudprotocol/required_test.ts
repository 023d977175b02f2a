// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Required members (spec §5.3): a missing one is missingField at its path.
import { decodeMessage } from "../../cloudprotocol/mod.ts";
import { assertFails } from "./_assert.ts";

const ITEM = { id: "0e7b3c1d-5f2a-4b8c-9d6e-1a2b3c4d5e6f" };
const SUBJECT = { id: "55aa66bb-77cc-48dd-99ee-00ff11223344" };
const T = "2026-05-07T06:00:00.000000Z";

function desired(extra: Record<string, unknown>): Record<string, unknown> {
  return { messageType: "desiredStatus", ...extra };
}

Deno.test("a missing required member is missingField at its path", () => {
  const cases: [Record<string, unknown>, string][] = [
    [desired({ items: [{ owner: { id: "o" } }] }), "/items/0/item"],
    [desired({ items: [{ item: { type: "service" }, owner: { id: "o" } }] }), "/items/0/item/id"],
    [desired({ items: [{ item: { id: "i" }, owner: { id: "o" } }] }), "/items/0/item/type"],
    [desired({ items: [{ item: { id: "i", type: "service" } }] }), "/items/0/owner"],
    [desired({ items: [{ item: { id: "i", type: "service" }, owner: {} }] }), "/items/0/owner/id"],
    [desired({ nodes: [{ item: {}, state: "paused" }] }), "/nodes/0/item/codename"],
    [desired({ instances: [{ item: ITEM }] }), "/instances/0/subject"],
    [desired({ subjects: [{ type: "group" }] }), "/subjects/0/identity"],
    [desired({ unitConfig: { nodes: [{}] } }), "/unitConfig/nodes/0/nodeGroupSubject"],
    [
      desired({ unitConfig: { nodes: [{ node: {}, nodeGroupSubject: { codename: "t" } }] } }),
      "/unitConfig/nodes/0/node/codename",
    ],
    [{ messageType: "requestLog", logType: "systemLog" }, "/filter"],
    [
      { messageType: "requestLog", logType: "systemLog", filter: { nodeIds: [{ id: "main" }] } },
      "/filter/nodeIds/0/codename",
    ],
    [{ messageType: "renewCertificatesNotification" }, "/unitSecrets"],
    [{ messageType: "finishProvisioningRequest", node: { codename: "n" } }, "/certificates"],
    [{ messageType: "startProvisioningRequest" }, "/node"],
    [{ messageType: "deprovisioningRequest", node: null }, "/node"],
    [
      { messageType: "blobUrls", items: [{ signInfo: { chainName: "c" } }] },
      "/items/0/signInfo/trustedTimestamp",
    ],
    [{ messageType: "updateState", subject: SUBJECT }, "/item"],
    [{ messageType: "unitStatus" }, "/isDeltaInfo"],
    [
      {
        messageType: "unitStatus",
        isDeltaInfo: false,
        nodes: [{
          identity: { codename: "n" },
          nodeGroupSubject: { codename: "t" },
          state: "paused",
        }],
      },
      "/nodes/0/osInfo",
    ],
    [{ messageType: "alerts" }, "/items"],
    [
      { messageType: "alerts", items: [{ tag: "systemAlert", node: { codename: "n" } }] },
      "/items/0/timestamp",
    ],
    [{ messageType: "pushLog", node: { codename: "n" }, part: 1, partsCount: 1 }, "/content"],
    [
      { messageType: "issueUnitCertificates", requests: [{ node: { codename: "n" } }] },
      "/requests/0/csr",
    ],
    [{ messageType: "stateRequest", item: ITEM, subject: SUBJECT }, "/instance"],
  ];
  for (const [data, path] of cases) assertFails(() => decodeMessage(data), "missingField", path);
});

Deno.test("every required object of spec §5.3 is missingField when absent", () => {
  const node = { codename: "n" };
  const nodeInfo = {
    identity: node,
    nodeGroupSubject: { codename: "t" },
    osInfo: {},
    state: "paused",
  };
  const runtime = { identity: { codename: "crun" }, archInfo: {}, osInfo: {} };
  const without = (obj: Record<string, unknown>, key: string) => {
    const { [key]: _, ...rest } = obj;
    return rest;
  };
  const unitStatus = (n: unknown) => ({ messageType: "unitStatus", isDeltaInfo: true, nodes: [n] });
  const cases: [Record<string, unknown>, string][] = [
    [unitStatus(without(nodeInfo, "identity")), "/nodes/0/identity"],
    [unitStatus(without(nodeInfo, "nodeGroupSubject")), "/nodes/0/nodeGroupSubject"],
    [unitStatus({ ...nodeInfo, nodeGroupSubject: {} }), "/nodes/0/nodeGroupSubject/codename"],
    [unitStatus({ ...nodeInfo, identity: { title: "t" } }), "/nodes/0/identity/codename"],
    [unitStatus({ ...nodeInfo, cpus: [{ modelName: "m" }] }), "/nodes/0/cpus/0/archInfo"],
    [
      unitStatus({ ...nodeInfo, runtimes: [without(runtime, "identity")] }),
      "/nodes/0/runtimes/0/identity",
    ],
    [
      unitStatus({ ...nodeInfo, runtimes: [without(runtime, "archInfo")] }),
      "/nodes/0/runtimes/0/archInfo",
    ],
    [
      unitStatus({ ...nodeInfo, runtimes: [without(runtime, "osInfo")] }),
      "/nodes/0/runtimes/0/osInfo",
    ],
    [
      unitStatus({ ...nodeInfo, runtimes: [{ ...runtime, identity: {} }] }),
      "/nodes/0/runtimes/0/identity/codename",
    ],
    [
      {
        messageType: "unitStatus",
        isDeltaInfo: true,
        instances: [{
          item: { id: "i", type: "service" },
          subject: { id: "s" },
          version: "1",
          instances: [{ node, runtime: {}, instance: 0, state: "active" }],
        }],
      },
      "/instances/0/instances/0/runtime/codename",
    ],
    [
      {
        messageType: "renewCertificatesNotification",
        certificates: [{ type: "online" }],
        unitSecrets: {},
      },
      "/certificates/0/node",
    ],
    [
      { messageType: "renewCertificatesNotification", unitSecrets: { nodes: [{ secret: "s" }] } },
      "/unitSecrets/nodes/0/node",
    ],
    [{ messageType: "monitoringData", nodes: [{ items: [] }] }, "/nodes/0/node"],
    [
      {
        messageType: "monitoringData",
        nodes: [],
        instances: [{
          item: { id: "i" },
          subject: { id: "s" },
          instance: 0,
          itemStates: [],
          items: [],
        }],
      },
      "/instances/0/node",
    ],
    [
      { messageType: "installUnitCertificatesConfirmation", certificates: [{ serial: "" }] },
      "/certificates/0/node",
    ],
    [
      { messageType: "issuedUnitCertificates", certificates: [{ node: {} }] },
      "/certificates/0/node/codename",
    ],
    [{
      messageType: "alerts",
      items: [{ timestamp: T, tag: "coreAlert", coreComponent: "CM", message: "m" }],
    }, "/items/0/node"],
    [
      {
        messageType: "alerts",
        items: [{
          timestamp: T,
          tag: "instanceQuotaAlert",
          subject: SUBJECT,
          instance: 0,
          parameter: "p",
          value: 1,
        }],
      },
      "/items/0/item",
    ],
  ];
  for (const [data, path] of cases) assertFails(() => decodeMessage(data), "missingField", path);
});

Deno.test("a partition alert-rule name over 64 bytes fails (AosCore makes it empty)", () => {
  const rules = (name: string) =>
    desired({
      unitConfig: {
        nodes: [{ nodeGroupSubject: { codename: "t" }, alertRules: { partitions: [{ name }] } }],
      },
    });
  decodeMessage(rules("é".repeat(32)));
  assertFails(
    () => decodeMessage(rules("é".repeat(32) + "x")),
    "limitExceeded",
    "/unitConfig/nodes/0/alertRules/partitions/0/name",
  );
});
