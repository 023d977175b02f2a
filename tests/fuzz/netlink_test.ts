// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The netlink reply decoders (pure functions over bytes, no socket): replies
// built as the kernel writes them decode to what was written; damaged ones
// (bytes, lengths of messages and attributes) decode or fail with a typed
// error, and no decoded part reaches outside its message.
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseAddress, parseRoute } from "../../network/_netlink/addresses.ts";
import { attrList, type NlMessage, NlWriter, splitMessages } from "../../network/_netlink/codec.ts";
import {
  AF_INET,
  AF_INET6,
  IFA_BROADCAST,
  IFA_LABEL,
  IFA_LOCAL,
  IFLA_ADDRESS,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINK,
  IFLA_LINKINFO,
  IFLA_MASTER,
  IFLA_MTU,
  IFLA_OPERSTATE,
  IFLA_VLAN_ID,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLMSG_ERROR,
  NLMSGERR_ATTR_MSG,
  RTA_DST,
  RTA_GATEWAY,
  RTA_OIF,
  RTA_PRIORITY,
  RTA_TABLE,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWQDISC,
  RTM_NEWROUTE,
  TCA_KIND,
  TCA_OPTIONS,
  TCA_TBF_PARMS,
  TCA_TBF_RATE64,
} from "../../network/_netlink/constants.ts";
import { parseLink } from "../../network/_netlink/links.ts";
import { failureOf } from "../../network/_netlink/socket.ts";
import { parseQdisc } from "../../network/_netlink/tc.ts";
import { formatIp } from "../../network/ip.ts";
import { concatBytes } from "../../utils/_bytes.ts";
import { damageBytes, edits, outcome, runs } from "./_fuzz.ts";

const NAME = fc.stringMatching(/^[a-z0-9.-]{1,15}$/);
const V4 = fc.uint8Array({ minLength: 4, maxLength: 4 });
const V6 = fc.uint8Array({ minLength: 16, maxLength: 16 });
const U32 = fc.nat({ max: 0xffffffff });

const text4 = (b: Uint8Array) =>
  formatIp({ family: 4, addr: ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0 });
const text6 = (b: Uint8Array) =>
  formatIp({ family: 6, addr: b.reduce((a, x) => (a << 8n) | BigInt(x), 0n) });

/** A reply message as the kernel writes it, and the parse of it the decoders must give. */
interface Reply {
  bytes: Uint8Array;
  decode: (message: NlMessage) => unknown;
  expected: unknown;
}

const LINK: fc.Arbitrary<Reply> = fc.record({
  index: U32,
  flags: U32,
  name: NAME,
  mtu: U32,
  master: U32,
  parent: U32,
  mac: fc.uint8Array({ minLength: 6, maxLength: 6 }),
  oper: fc.nat(8),
  kind: fc.constantFrom("vlan", "bridge", "veth"),
  vlan: fc.nat(4095),
}).map((l) => {
  const w = new NlWriter().begin(RTM_NEWLINK, 0).u8(0).u8(0).u16(1).u32(l.index).u32(l.flags).u32(0)
    .attrString(IFLA_IFNAME, l.name).attrU32(IFLA_MTU, l.mtu).attrU32(IFLA_MASTER, l.master)
    .attrU32(IFLA_LINK, l.parent).attr(IFLA_ADDRESS, l.mac).attrU8(IFLA_OPERSTATE, l.oper)
    .nest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, l.kind).nest(IFLA_INFO_DATA).attrU16(
      IFLA_VLAN_ID,
      l.vlan,
    )
    .end().end();
  return {
    bytes: w.finish(1).slice(),
    decode: parseLink,
    expected: {
      index: l.index,
      name: l.name,
      flags: l.flags,
      kind: l.kind,
      masterIndex: l.master,
      parentIndex: l.parent,
      vlanId: l.kind === "vlan" ? l.vlan : 0,
      mtu: l.mtu,
      mac: [...l.mac].map((b) => b.toString(16).padStart(2, "0")).join(":"),
      operState:
        ["unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"][l.oper] ??
          "unknown",
    },
  };
});

const ADDRESS: fc.Arbitrary<Reply> = fc.tuple(fc.boolean(), V4, V6, fc.nat(128), U32, NAME).map(
  ([v4, a4, a6, prefix, index, label]) => {
    const local = v4 ? a4 : a6;
    const w = new NlWriter().begin(RTM_NEWADDR, 0).u8(v4 ? AF_INET : AF_INET6).u8(prefix).u8(0).u8(
      0,
    ).u32(index)
      .attr(IFA_LOCAL, local).attr(IFA_BROADCAST, local).attrString(IFA_LABEL, label);
    const ip = v4 ? text4(a4) : text6(a6);
    return {
      bytes: w.finish(2).slice(),
      decode: parseAddress,
      expected: { family: v4 ? AF_INET : AF_INET6, prefix, index, ip, broadcast: ip, label },
    };
  },
);

const ROUTE: fc.Arbitrary<Reply> = fc.tuple(V4, V4, fc.nat(32), U32, U32, U32).map(
  ([dst, gateway, length, oif, metric, table]) => {
    const w = new NlWriter().begin(RTM_NEWROUTE, 0).u8(AF_INET).u8(length).u8(0).u8(0).u8(254).u8(4)
      .u8(0).u8(1)
      .u32(0).attr(RTA_DST, dst).attr(RTA_GATEWAY, gateway).attrU32(RTA_OIF, oif).attrU32(
        RTA_PRIORITY,
        metric,
      )
      .attrU32(RTA_TABLE, table);
    return {
      bytes: w.finish(3).slice(),
      decode: parseRoute,
      expected: {
        family: AF_INET,
        dstLength: length,
        table,
        protocol: 4,
        scope: 0,
        type: 1,
        destination: text4(dst),
        gateway: text4(gateway),
        oif,
        metric,
      },
    };
  },
);

const QDISC: fc.Arbitrary<Reply> = fc.tuple(
  U32,
  U32,
  U32,
  U32,
  fc.bigInt({ min: 0n, max: 2n ** 40n }),
).map(
  ([index, handle, parent, limit, rate]) => {
    const parms = new Uint8Array(36);
    const view = new DataView(parms.buffer);
    const little = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
    view.setUint32(24, limit, little);
    const w = new NlWriter().begin(RTM_NEWQDISC, 0).u8(0).u8(0).u16(0).u32(index).u32(handle).u32(
      parent,
    ).u32(0)
      .attrString(TCA_KIND, "tbf").nest(TCA_OPTIONS).attr(TCA_TBF_PARMS, parms).attrU64(
        TCA_TBF_RATE64,
        rate,
      )
      .end();
    return {
      bytes: w.finish(4).slice(),
      decode: parseQdisc,
      expected: { index, handle, parent, kind: "tbf", tbf: { rate, burst: 0, limit } },
    };
  },
);

const FAILURE: fc.Arbitrary<Reply> = fc.tuple(
  fc.integer({ min: 1, max: 200 }),
  fc.stringMatching(/^[ -~]{0,30}$/),
)
  .map(([errno, text]) => {
    const w = new NlWriter().begin(NLMSG_ERROR, NLM_F_ACK_TLVS | NLM_F_CAPPED).u32(-errno >>> 0)
      .bytes(new Uint8Array(16)).attrString(NLMSGERR_ATTR_MSG, text);
    return { bytes: w.finish(5).slice(), decode: failureOf, expected: { errno, kernelText: text } };
  });

const REPLY = fc.oneof(LINK, ADDRESS, ROUTE, QDISC, FAILURE);

Deno.test("netlink replies as the kernel writes them decode to what was written", () => {
  fc.assert(
    fc.property(fc.array(REPLY, { minLength: 1, maxLength: 4 }), (replies) => {
      const messages = splitMessages(concatBytes(replies.map((r) => r.bytes)));
      assert.equal(messages.length, replies.length);
      for (const [i, reply] of replies.entries()) {
        assert.deepEqual(reply.decode(messages[i]!), reply.expected);
      }
    }),
    runs(200),
  );
});

/** Damage aimed at a length field: of a message (offset 0) or of an attribute. */
function damageLengths(bytes: Uint8Array, steps: [number, number][]): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (const [pick, value] of steps) {
    const at = (pick % Math.max(1, out.length >> 2)) * 4;
    if (at + 2 > out.length) continue;
    view.setUint16(
      at,
      [0, 3, 4, 5, 0xffff, view.getUint16(at, true) + 4, value & 0xffff][value % 7]!,
      true,
    );
  }
  return out;
}

Deno.test("damaged netlink replies decode or fail typed, never reaching outside a message", () => {
  fc.assert(
    fc.property(
      fc.array(REPLY, { minLength: 1, maxLength: 3 }),
      fc.oneof(
        edits().map((list) => (bytes: Uint8Array) => damageBytes(bytes, list)),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }).map(
          (steps) => (bytes: Uint8Array) => damageLengths(bytes, steps),
        ),
      ),
      (replies, damage) => {
        const datagram = damage(concatBytes(replies.map((r) => r.bytes)));
        const messages = splitMessages(datagram);
        assert.ok(messages.reduce((n, m) => n + 16 + m.payload.length, 0) <= datagram.length);
        for (const message of messages) {
          for (const [, value] of attrList(message.payload, 4)) {
            assert.ok(
              value.byteOffset + value.length <=
                message.payload.byteOffset + message.payload.length,
            );
          }
          for (const decode of [parseLink, parseAddress, parseRoute, parseQdisc, failureOf]) {
            outcome(() => decode(message), message.payload.length);
          }
        }
      },
    ),
    runs(300),
  );
});
