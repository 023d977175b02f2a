// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The Cryptoki binding against SoftHSM2: module, slots, tokens, login,
// sessions and the cache, and every failure as a clear AosError.
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { AosError, errorIs } from "../../../utils/errors.ts";
import {
  CKF,
  CKS,
  Pkcs11Error,
  Pkcs11Manager,
  rvName,
  type TokenInfo,
} from "../../../utils/pkcs11/mod.ts";
import {
  bindFunctionList,
  CK_FUNCTIONS,
  FUNCTION_LIST_SIZE,
  openModule,
} from "../../../utils/pkcs11/_ffi.ts";
import { alloc, initializeArgs, STRUCT_SIZES } from "../../../utils/pkcs11/_struct.ts";
import {
  BAD_PIN,
  SO_PIN,
  softHsm,
  SOFTHSM_MODULE,
  softhsmMissing,
  TOKEN_LABEL,
  USER_PIN,
} from "./_softhsm.ts";

const ignore = softhsmMissing !== undefined;
const is = (kind: Parameters<typeof errorIs>[1], message?: RegExp) => (e: unknown) =>
  errorIs(e, kind) && (message === undefined || message.test(String(e)));
const RW = CKF.RW_SESSION | CKF.SERIAL_SESSION;

Deno.test({ name: "library, slot and token info", ignore }, async () => {
  await using hsm = await softHsm();
  const slot = await hsm.createToken();
  assert.deepEqual(await hsm.library.getLibInfo(), {
    cryptokiVersion: { major: 2, minor: 40 },
    manufacturerId: "SoftHSM",
    flags: 0n,
    libraryDescription: "Implementation of PKCS11",
    libraryVersion: { major: 2, minor: 6 },
  });
  const slotInfo = await hsm.library.getSlotInfo(slot);
  assert.match(slotInfo.slotDescription, /^SoftHSM slot ID 0x[0-9a-f]+$/);
  assert.equal(slotInfo.manufacturerId, "SoftHSM project");
  assert.equal(slotInfo.flags & CKF.TOKEN_PRESENT, CKF.TOKEN_PRESENT);
  const token: TokenInfo = await hsm.library.getTokenInfo(slot);
  assert.equal(token.label, TOKEN_LABEL, "blank padding trimmed");
  assert.equal(token.model, "SoftHSM v2");
  assert.match(token.serialNumber, /^[0-9a-f]{16}$/);
  const flags = CKF.TOKEN_INITIALIZED | CKF.USER_PIN_INITIALIZED | CKF.LOGIN_REQUIRED;
  assert.equal(token.flags & flags, flags);
  // Offsets past the strings: SoftHSM's PIN length limits and versions.
  assert.equal(token.minPinLen, 4n);
  assert.equal(token.maxPinLen, 255n);
  assert.deepEqual(token.hardwareVersion, { major: 2, minor: 6 });
  assert.match(token.utcTime, /^20\d{12}00$/, "SoftHSM has a clock");
  assert.ok((await hsm.library.getSlotList(false)).includes(slot));
});

Deno.test({
  name: "a token made on the free slot is found again by label, also after a restart",
  ignore,
}, async () => {
  await using hsm = await softHsm();
  await hsm.createToken("first");
  await hsm.createToken("second");
  const second = await hsm.library.findSlotByTokenLabel("second");
  await assert.rejects(hsm.library.findSlotByTokenLabel("third"), is("notFound", /"third"/));
  // SoftHSM numbers initialised tokens anew when it starts: find them by label.
  await hsm.library.finalize();
  const library = await hsm.manager.openLibrary(SOFTHSM_MODULE!);
  const again = await library.findSlotByTokenLabel("second");
  assert.notEqual(again, second);
  assert.equal((await library.getTokenInfo(again)).label, "second");
  await assert.rejects(
    library.initToken(again, SO_PIN, "x".repeat(33)),
    is("invalidArgument", /32 bytes/),
  );
});

Deno.test({ name: "every suite has its own token directory", ignore }, async () => {
  {
    await using hsm = await softHsm();
    await hsm.createToken("only in the first");
  }
  await using hsm = await softHsm();
  await assert.rejects(hsm.library.findSlotByTokenLabel("only in the first"), is("notFound"));
});

Deno.test(
  { name: "login: right PIN, wrong PIN, already logged in, logins are per token", ignore },
  async () => {
    await using hsm = await softHsm();
    const slot = await hsm.createToken();
    const a = await hsm.library.openSession(slot);
    const b = await hsm.library.openSession(slot, CKF.SERIAL_SESSION);
    const err = await a.login("user", BAD_PIN).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof Pkcs11Error);
    assert.equal(err.kind, "runtime");
    assert.equal(err.rv, 0xa0n);
    assert.equal(err.rvName, "CKR_PIN_INCORRECT");
    assert.equal(err.message, "C_Login failed: CKR_PIN_INCORRECT (0xa0)");
    await a.login("user", USER_PIN);
    await assert.rejects(
      b.login("user", USER_PIN),
      is("alreadyLoggedIn", /CKR_USER_ALREADY_LOGGED_IN/),
    );
    assert.equal((await b.getSessionInfo()).state, CKS.RO_USER_FUNCTIONS, "b shares a's login");
    await a.logout();
    assert.equal((await a.getSessionInfo()).state, CKS.RW_PUBLIC_SESSION);
    await assert.rejects(a.login("so", SO_PIN), is("runtime", /CKR_SESSION_READ_ONLY_EXISTS/));
    await b.close();
    hsm.library.clearSessions();
    await a.login("so", SO_PIN);
    await a.logout();
  },
);

Deno.test({ name: "a PIN never shows in errors or descriptions", ignore }, async () => {
  await using hsm = await softHsm();
  const slot = await hsm.createToken();
  const session = await hsm.library.openSession(slot);
  const secret = "wrong-but-secret-pin";
  const err = await session.login("user", secret).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AosError);
  await session.login("user", USER_PIN);
  const texts = [
    String(err),
    JSON.stringify(err),
    inspect(err),
    String(session),
    inspect(session, { depth: 10, showHidden: true }),
    String(hsm.library),
    inspect(hsm.library, { depth: 10, showHidden: true }),
  ];
  for (const text of texts) {
    assert.ok(!text.includes(secret) && !text.includes(`"${USER_PIN}"`), text);
  }
  assert.match(String(session), /^Pkcs11Session\(slot \d+, handle \d+\)$/);
});

Deno.test({ name: "session info: slot, state, flags and device error", ignore }, async () => {
  await using hsm = await softHsm();
  const slot = await hsm.createToken();
  const session = await hsm.userSession(slot);
  const info = await session.getSessionInfo();
  assert.equal(info.slotId, slot);
  assert.equal(info.state, CKS.RW_USER_FUNCTIONS);
  assert.equal(info.flags & RW, RW);
  assert.equal(info.deviceError, 0n);
  assert.equal(session.slotId, slot);
});

Deno.test(
  { name: "the session cache shares (slot, flags) and evicts round-robin", ignore },
  async () => {
    await using hsm = await softHsm({ sessionCacheSize: 2 });
    const slot = await hsm.createToken("one");
    const other = await hsm.createToken("two");
    const a1 = await hsm.library.openSession(slot);
    const a2 = await hsm.library.openSession(slot, RW);
    assert.equal(a1.handle, a2.handle);
    const exclusive = await hsm.library.openSession(slot, RW, { exclusive: true });
    assert.notEqual(exclusive.handle, a1.handle);
    const b = await hsm.library.openSession(slot, CKF.SERIAL_SESSION);
    assert.notEqual(b.handle, a1.handle);
    // A third key evicts the first entry; its users keep the session.
    const c = await hsm.library.openSession(other);
    const a3 = await hsm.library.openSession(slot);
    assert.notEqual(a3.handle, a1.handle);
    assert.equal(
      (await a1.getSessionInfo()).slotId,
      slot,
      "the evicted session still works for its users",
    );
    for (const s of [a1, a2, exclusive, b, c, a3]) await s.close();
    await a1.close();
    await assert.rejects(a1.getSessionInfo(), is("wrongState", /closed/));
    hsm.library.clearSessions();
    const fresh = await hsm.library.openSession(slot);
    assert.notEqual(fresh.handle, a3.handle);
  },
);

Deno.test({ name: "closeAllSessions ends our sessions too", ignore }, async () => {
  await using hsm = await softHsm();
  const slot = await hsm.createToken();
  const session = await hsm.userSession(slot);
  await hsm.library.closeAllSessions(slot);
  await assert.rejects(session.getSessionInfo(), is("wrongState"));
  const again = await hsm.userSession(slot);
  assert.equal(
    (await again.getSessionInfo()).state,
    CKS.RW_USER_FUNCTIONS,
    "the token was logged out",
  );
});

Deno.test({
  name: "a module file that is missing, not a library or not PKCS#11 is a clear error",
  ignore,
}, async () => {
  await using hsm = await softHsm();
  const manager = new Pkcs11Manager();
  await assert.rejects(
    manager.openLibrary(join(hsm.dir, "missing.so")),
    is("notFound", /does not exist/),
  );
  const text = join(hsm.dir, "text.so");
  writeFileSync(text, "not a library\n");
  await assert.rejects(
    manager.openLibrary(text),
    is("invalidArgument", /not a loadable shared library/),
  );
  await assert.rejects(manager.openLibrary(hsm.dir), is("invalidArgument", /not a file/));
  const libc = [
    "/lib/x86_64-linux-gnu/libc.so.6",
    "/lib/aarch64-linux-gnu/libc.so.6",
    "/usr/lib/libc.so.6",
  ]
    .find(existsSync);
  assert.ok(libc !== undefined, "libc.so.6 is somewhere");
  await assert.rejects(manager.openLibrary(libc), is("invalidArgument", /no C_GetFunctionList/));
  await manager.close();
});

Deno.test({ name: "bad slots and closed things fail cleanly", ignore }, async () => {
  await using hsm = await softHsm();
  const slot = await hsm.createToken();
  await assert.rejects(hsm.library.getTokenInfo(0xfffff0n), is("runtime", /CKR_SLOT_ID_INVALID/));
  await assert.rejects(
    hsm.library.openSession(0xfffff0n),
    is("runtime", /C_OpenSession failed: CKR_SLOT_ID_INVALID/),
  );
  const session = await hsm.userSession(slot);
  await hsm.library.finalize();
  await hsm.library.finalize();
  await assert.rejects(session.getSessionInfo(), is("wrongState"));
  await assert.rejects(session.findObjects([]), is("wrongState"));
  await assert.rejects(hsm.library.getLibInfo(), is("wrongState", /finalized/));
  await assert.rejects(hsm.library.openSession(slot), is("wrongState"));
  assert.throws(() => hsm.library.clearSessions(), is("wrongState"));
});

Deno.test({ name: "handles share one module: the last finalize unloads it", ignore }, async () => {
  await using hsm = await softHsm();
  const slot = await hsm.createToken();
  const second = await new Pkcs11Manager().openLibrary(SOFTHSM_MODULE!);
  const session = await second.openSession(slot);
  await hsm.library.finalize();
  assert.equal((await second.getTokenInfo(slot)).label, TOKEN_LABEL, "still loaded");
  assert.equal((await session.getSessionInfo()).slotId, slot);
  await second.finalize();
  await assert.rejects(session.getSessionInfo(), is("wrongState"));
});

Deno.test(
  { name: "a module someone else finalised: closing and finalising still succeed", ignore },
  async () => {
    await using hsm = await softHsm();
    const slot = await hsm.createToken();
    const session = await hsm.library.openSession(slot, RW, { exclusive: true });
    const raw = openModule(SOFTHSM_MODULE!);
    try {
      // Another user of the module in this process (a worker, another library) ends it.
      assert.equal(raw.calls.C_Finalize(null), 0n);
      await session.close();
      await hsm.library.finalize();
      await assert.rejects(session.getSessionInfo(), is("wrongState"));
    } finally {
      raw.close();
    }
  },
);

Deno.test(
  { name: "a module someone else initialised is used and left initialised", ignore },
  async () => {
    await using hsm = await softHsm();
    await hsm.library.finalize();
    const raw = openModule(SOFTHSM_MODULE!);
    try {
      assert.equal(raw.calls.C_Initialize(initializeArgs()), 0n);
      const library = await hsm.manager.openLibrary(SOFTHSM_MODULE!);
      assert.equal((await library.getLibInfo()).manufacturerId, "SoftHSM");
      await library.finalize();
      assert.equal(raw.calls.C_GetInfo(alloc(STRUCT_SIZES.CK_INFO)), 0n, "not finalised by us");
      assert.equal(raw.calls.C_Finalize(null), 0n);
    } finally {
      raw.close();
    }
  },
);

Deno.test({
  name: "function lists: a NULL entry is wrongState, an unknown version notSupported",
  ignore,
}, () => {
  const table = alloc(FUNCTION_LIST_SIZE);
  table.set([2, 40]);
  const { calls, version } = bindFunctionList(Deno.UnsafePointer.of(table)!);
  assert.deepEqual(version, { major: 2, minor: 40 });
  assert.throws(
    () => calls.C_GetInfo(alloc(STRUCT_SIZES.CK_INFO)),
    is("wrongState", /C_GetInfo is missing/),
  );
  table.set([1, 0]);
  assert.throws(() => bindFunctionList(Deno.UnsafePointer.of(table)!), is("notSupported", /1\.0/));
});

Deno.test({
  name: "function lists: an exported function is used only where the list points at it",
  ignore,
}, () => {
  const table = alloc(FUNCTION_LIST_SIZE);
  table.set([2, 40]);
  const view = new DataView(table.buffer);
  view.setBigUint64(8 + 8 * CK_FUNCTIONS.C_GetInfo.slot, 0x1000n, true);
  view.setBigUint64(8 + 8 * CK_FUNCTIONS.C_GetSlotList.slot, 0x2000n, true);
  const atListAddress = () => 0n;
  const elsewhere = () => 0n;
  const { calls } = bindFunctionList(
    Deno.UnsafePointer.of(table)!,
    new Map([
      ["C_GetInfo", { address: 0x1000n, call: atListAddress }],
      ["C_GetSlotList", { address: 0x3000n, call: elsewhere }],
    ]),
  );
  assert.equal(calls.C_GetInfo, atListAddress);
  assert.notEqual(calls.C_GetSlotList, elsewhere);
  assert.equal(typeof calls.C_GetSlotList, "function");
});

Deno.test("struct sizes and return value names match the LP64 layout and PKCS#11", () => {
  assert.deepEqual({ ...STRUCT_SIZES }, {
    CK_ATTRIBUTE: 24,
    CK_MECHANISM: 24,
    CK_C_INITIALIZE_ARGS: 48,
    CK_RSA_PKCS_OAEP_PARAMS: 40,
    CK_RSA_PKCS_PSS_PARAMS: 24,
    CK_SESSION_INFO: 32,
    CK_INFO: 88,
    CK_SLOT_INFO: 112,
    CK_TOKEN_INFO: 208,
  });
  assert.equal(FUNCTION_LIST_SIZE, 552);
  assert.equal(rvName(0xb3n), "CKR_SESSION_HANDLE_INVALID");
  assert.equal(rvName(0x8000_0001n), "CKR_VENDOR_DEFINED+0x1");
  assert.equal(rvName(0x4242n), "CKR_0x4242");
  const err = new Pkcs11Error("C_Sign", 0x150n, "Cannot sign");
  assert.equal(err.message, "Cannot sign: C_Sign failed: CKR_BUFFER_TOO_SMALL (0x150)");
  assert.equal(err.toErrorInfo().aosCode, 2);
  assert.ok(errorIs(new Pkcs11Error("C_Login", 0x100n), "alreadyLoggedIn"));
});
