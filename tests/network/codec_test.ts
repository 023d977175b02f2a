// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Netlink framing, names and errors: no privileges needed.
import assert from "node:assert/strict";
import {
  attrList,
  NlWriter,
  parseAttrs,
  readString,
  readU16,
  readU32,
  splitMessages,
} from "../../network/_netlink/codec.ts";
import { parseAddress, parseRoute } from "../../network/_netlink/addresses.ts";
import { parseLink } from "../../network/_netlink/links.ts";
import { parseQdisc } from "../../network/_netlink/tc.ts";
import { hostVethName, ifbName, interfaceNameProblem } from "../../network/names.ts";
import { NetworkError } from "../../network/errors.ts";
import { AosError, errorIs } from "../../utils/errors.ts";

Deno.test("a request has its length, type, flags and sequence in the header", () => {
  const w = new NlWriter();
  const bytes = w.begin(16, 0x400).u8(0).u8(0).u16(0).u32(7).u32(1).u32(1).finish(42, 0x4);
  assert.equal(bytes.length, 32);
  assert.equal(readU32(bytes, 0), 32);
  assert.equal(readU16(bytes, 4), 16);
  assert.equal(readU16(bytes, 6), 0x400 | 0x4 | 0x1, "REQUEST is always set");
  assert.equal(readU32(bytes, 8), 42);
  assert.equal(readU32(bytes, 20), 7);
});

Deno.test("attributes are padded to 4 bytes and nests carry their whole length", () => {
  const w = new NlWriter();
  const bytes = w.begin(16, 0)
    .attrString(3, "eth0") // 4 + 5 = 9, padded to 12
    .nest(18).attrString(1, "veth").nest(2).attrU32(7, 9).end().end()
    .attrU8(4, 1)
    .attrU16(5, 0x1234)
    .attrU64(6, 0x1_0000_0001n)
    .finish(1);
  const attrs = parseAttrs(bytes, 16);
  assert.equal(readString(attrs.get(3)!), "eth0");
  assert.equal(attrs.get(3)!.length, 5, "the attribute length excludes the padding");
  const nest = attrs.get(18)!;
  assert.equal(readU16(bytes, 16 + 12 + 2) & 0x8000, 0x8000, "the nested flag is set");
  assert.equal(readString(parseAttrs(nest).get(1)!), "veth");
  assert.equal(readU32(parseAttrs(parseAttrs(nest).get(2)!).get(7)!), 9);
  assert.equal(attrs.get(4)![0], 1);
  assert.equal(readU16(attrs.get(5)!), 0x1234);
  assert.equal(
    new DataView(attrs.get(6)!.buffer, attrs.get(6)!.byteOffset).getBigUint64(0, true),
    0x1_0000_0001n,
  );
  assert.equal(bytes.length % 4, 0);
});

Deno.test("the writer grows past its first buffer and is reused", () => {
  const w = new NlWriter();
  const big = new Uint8Array(5000).fill(9);
  const first = w.begin(16, 0).attr(1, big).finish(1);
  assert.equal(readU32(first, 0), 16 + 4 + 5000);
  const second = w.begin(17, 0).attrU32(1, 5).finish(2);
  assert.equal(readU32(second, 0), 24);
  assert.equal(readU16(second, 4), 17);
});

Deno.test("replies split into messages; truncated data is not read past", () => {
  const w = new NlWriter();
  const a = w.begin(16, 0).attrU32(1, 1).finish(5).slice();
  const b = w.begin(3, 0).finish(5).slice();
  const data = new Uint8Array([...a, ...b, 1, 2, 3]);
  const messages = splitMessages(data);
  assert.deepEqual(messages.map((m) => [m.type, m.seq, m.payload.length]), [[16, 5, 8], [3, 5, 0]]);
  const broken = new Uint8Array(a);
  new DataView(broken.buffer).setUint32(0, 999, true);
  assert.deepEqual(splitMessages(broken), []);
  assert.deepEqual(attrList(Uint8Array.of(200, 0, 1, 0)), [], "an attribute longer than its data");
});

// Found by tests/fuzz: a reply shorter than its fixed header, or with an
// attribute shorter than its value, threw a RangeError from a DataView, and an
// address attribute of the wrong size was printed as some IPv6 address.
Deno.test("short or odd netlink replies are typed errors", () => {
  const typed = (err: unknown) => err instanceof AosError && err.kind === "failed";
  const message = (payload: Uint8Array) => ({ type: 0, flags: 0, seq: 0, payload });
  for (const parse of [parseLink, parseAddress, parseRoute, parseQdisc]) {
    assert.throws(() => parse(message(new Uint8Array(3))), typed, parse.name);
  }
  const w = new NlWriter();
  const shortMtu = w.begin(16, 0).zeros(16).attr(4, Uint8Array.of(1, 2)).finish(1).slice(16);
  assert.throws(() => parseLink(message(shortMtu)), typed);
  const oddAddress = w.begin(20, 0).u8(2).u8(24).u16(0).u32(1).attr(2, new Uint8Array(5)).finish(1)
    .slice(16);
  assert.throws(() => parseAddress(message(oddAddress)), typed);
});

Deno.test("interface names follow the kernel's rules; AosCore's FNV names", () => {
  for (const good of ["eth0", "br-aos", "veth811c9dc5", "a", "x".repeat(15), "vé"]) {
    assert.equal(interfaceNameProblem(good), undefined, good);
  }
  for (
    const bad of ["", ".", "..", "a/b", "a:b", "a b", "a\tb", "a\0b", "x".repeat(16), "éééééééé"]
  ) {
    assert.notEqual(interfaceNameProblem(bad), undefined, bad);
  }
  assert.equal(hostVethName(""), "veth811c9dc5");
  assert.equal(hostVethName("instance-1"), "vethfa923a94");
  assert.equal(ifbName("vethfa923a94"), "ifb-7e21268f");
  assert.ok(hostVethName("any-long-instance-identifier").length <= 15);
});

Deno.test("errno maps to the error kind; EPERM says what is needed", () => {
  const context = { operation: "createVeth", interface: "v0" };
  assert.ok(errorIs(NetworkError.forErrno(17, context), "alreadyExist"));
  assert.ok(errorIs(NetworkError.forErrno(-19, context), "notFound"));
  assert.ok(errorIs(NetworkError.forErrno(2, context), "notFound"));
  assert.ok(errorIs(NetworkError.forErrno(95, context), "notSupported"));
  assert.ok(errorIs(NetworkError.forErrno(22, context), "failed"));
  const eperm = NetworkError.forErrno(1, context, { kernelText: "denied" });
  assert.equal(eperm.errno, 1);
  assert.match(
    eperm.message,
    /^createVeth "v0": .*\(EPERM\): denied: root or CAP_NET_ADMIN is needed$/,
  );
  assert.equal(eperm.operation, "createVeth");
  assert.equal(eperm.interface, "v0");
  assert.match(NetworkError.forErrno(95, context).message, /EOPNOTSUPP/);
  assert.match(
    NetworkError.forErrno(2, { operation: "x" }, { what: "failed to open netns /a" }).message,
    /^x: failed to open netns \/a: .*\(ENOENT\)$/,
  );
});
