// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Pkcs11Session: one user's view of a shared SessionCore.

import { AosError } from "../errors.ts";
import { CK_UNAVAILABLE_INFORMATION, CKU } from "./constants.ts";
import type { KeyPairHandles, Pkcs11Session } from "./session.ts";
import type { Attribute, Mechanism, SessionInfo } from "./types.ts";
import { check, type SessionCore } from "./_session_core.ts";
import { type CallSpeed, placeCall } from "./_call_speed.ts";
import { alloc, native, packMechanism, packTemplate, readUlong, STRUCT_SIZES } from "./_struct.ts";

const CKR_BUFFER_TOO_SMALL = 0x150n;
const FIND_BATCH = 64;

export class SessionImpl implements Pkcs11Session {
  #core: SessionCore;
  #onClose: (session: SessionImpl) => void;
  #closed = false;

  constructor(core: SessionCore, onClose: (session: SessionImpl) => void) {
    this.#core = core;
    this.#onClose = onClose;
    core.users++;
  }

  get handle(): bigint {
    return this.#core.handle;
  }

  get slotId(): bigint {
    return this.#core.slotId;
  }

  #run<T>(op: (handle: bigint) => T | Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new AosError("wrongState", "The PKCS#11 session is closed"));
    }
    return this.#core.run(op);
  }

  getSessionInfo(): Promise<SessionInfo> {
    return this.#run((h) => {
      const info = alloc(STRUCT_SIZES.CK_SESSION_INFO);
      check(this.#core.module.calls.C_GetSessionInfo(h, info), "C_GetSessionInfo");
      return {
        slotId: readUlong(info, 0),
        state: readUlong(info, 8),
        flags: readUlong(info, 16),
        deviceError: readUlong(info, 24),
      };
    });
  }

  login(userType: "so" | "user", pin: string): Promise<void> {
    const type = userType === "so" ? CKU.SO : CKU.USER;
    return this.#run(async (h) => {
      const bytes = native(new TextEncoder().encode(pin));
      try {
        const rv = await this.#core.module.offThread.C_Login(
          h,
          type,
          bytes.byteLength === 0 ? null : bytes,
          BigInt(bytes.byteLength),
        );
        check(rv, "C_Login");
        this.#core.module.logins.set(this.#core.slotId, { userType: type, pin });
      } finally {
        bytes.fill(0);
      }
    });
  }

  logout(): Promise<void> {
    return this.#run((h) => {
      this.#core.module.logins.delete(this.#core.slotId);
      check(this.#core.module.calls.C_Logout(h), "C_Logout");
    });
  }

  initPin(pin: string): Promise<void> {
    return this.#run(async (h) => {
      const bytes = native(new TextEncoder().encode(pin));
      try {
        check(
          await this.#core.module.offThread.C_InitPIN(h, bytes, BigInt(bytes.byteLength)),
          "C_InitPIN",
        );
      } finally {
        bytes.fill(0);
      }
    });
  }

  getAttributeValues(object: bigint, types: readonly bigint[]): Promise<Uint8Array[]> {
    return this.#run((h) => {
      const call = this.#core.module.calls.C_GetAttributeValue;
      const sizes = packTemplate(types.map((type) => ({ type, value: new Uint8Array() })));
      check(call(h, object, sizes.array, sizes.count), "C_GetAttributeValue");
      const view = new DataView(sizes.array.buffer);
      const values = types.map((type, i) => {
        const length = view.getBigUint64(24 * i + 16, true);
        if (length === CK_UNAVAILABLE_INFORMATION) {
          throw new AosError(
            "invalidArgument",
            `Attribute 0x${type.toString(16)} of object ${object} is not available`,
          );
        }
        return { type, value: new Uint8Array(Number(length)) };
      });
      const template = packTemplate(values);
      check(call(h, object, template.array, template.count), "C_GetAttributeValue");
      const filled = new DataView(template.array.buffer);
      return template.keep.map((value, i) =>
        value.slice(0, Number(filled.getBigUint64(24 * i + 16, true)))
      );
    });
  }

  findObjects(template: readonly Attribute[], max?: number): Promise<bigint[]> {
    return this.#run((h) => {
      const calls = this.#core.module.calls;
      const packed = packTemplate(template);
      check(calls.C_FindObjectsInit(h, packed.array, packed.count), "C_FindObjectsInit");
      const found: bigint[] = [];
      try {
        // With a limit, ask for one more object to tell "exactly max" from "more".
        const batch = max === undefined ? FIND_BATCH : max + 1;
        const handles = alloc(8 * batch);
        const count = alloc(8);
        for (;;) {
          const want = max === undefined ? batch : batch - found.length;
          if (want <= 0) break;
          check(calls.C_FindObjects(h, handles, BigInt(want), count), "C_FindObjects");
          const n = Number(readUlong(count));
          if (n === 0) break;
          for (let i = 0; i < n; i++) found.push(readUlong(handles, 8 * i));
        }
      } finally {
        calls.C_FindObjectsFinal(h);
      }
      if (found.length === 0) throw new AosError("notFound", "No PKCS#11 object matches");
      if (max !== undefined && found.length > max) {
        throw new AosError("noMemory", `More than ${max} PKCS#11 objects match`);
      }
      return found;
    });
  }

  createObject(template: readonly Attribute[]): Promise<bigint> {
    return this.#run((h) => {
      const packed = packTemplate(template);
      const out = alloc(8);
      check(
        this.#core.module.calls.C_CreateObject(h, packed.array, packed.count, out),
        "C_CreateObject",
      );
      return readUlong(out);
    });
  }

  destroyObject(object: bigint): Promise<void> {
    return this.#run((h) => {
      check(this.#core.module.calls.C_DestroyObject(h, object), "C_DestroyObject");
    });
  }

  generateKeyPair(
    mechanism: Mechanism,
    publicTemplate: readonly Attribute[],
    privateTemplate: readonly Attribute[],
  ): Promise<KeyPairHandles> {
    return this.#run(async (h) => {
      const mech = packMechanism(mechanism);
      const pub = packTemplate(publicTemplate);
      const priv = packTemplate(privateTemplate);
      const pubOut = alloc(8);
      const privOut = alloc(8);
      const rv = await this.#core.module.offThread.C_GenerateKeyPair(
        h,
        mech.struct,
        pub.array,
        pub.count,
        priv.array,
        priv.count,
        pubOut,
        privOut,
      );
      check(rv, "C_GenerateKeyPair");
      keepAlive(mech, pub, priv);
      return { publicKey: readUlong(pubOut), privateKey: readUlong(privOut) };
    });
  }

  sign(
    mechanism: Mechanism,
    key: bigint,
    data: Uint8Array,
    maxLength?: number,
  ): Promise<Uint8Array> {
    return this.#run((h) => this.#operation("C_Sign", mechanism, key, h, data, maxLength));
  }

  decrypt(
    mechanism: Mechanism,
    key: bigint,
    data: Uint8Array,
    maxLength?: number,
  ): Promise<Uint8Array> {
    return this.#run((h) => this.#operation("C_Decrypt", mechanism, key, h, data, maxLength));
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#onClose(this);
    this.#core.users--;
    try {
      if (!this.#core.module.finalized) this.#core.closeIfUnused();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  // A single-part operation: C_SignInit + C_Sign or C_DecryptInit +
  // C_Decrypt, each placed on or off the calling thread by its record
  // (_call_speed.ts). The output size is the caller's or the module's answer
  // to a size query; CKR_BUFFER_TOO_SMALL (which leaves the operation active)
  // is retried once with the size it reports.
  async #operation(
    fn: "C_Sign" | "C_Decrypt",
    mechanism: Mechanism,
    key: bigint,
    h: bigint,
    data: Uint8Array,
    maxLength: number | undefined,
  ): Promise<Uint8Array> {
    const module = this.#core.module;
    const { calls, offThread } = module;
    const sign = fn === "C_Sign";
    const initName = sign ? "C_SignInit" : "C_DecryptInit";
    const mech = packMechanism(mechanism);
    const initSpeed = module.speedOf(initName, key, mechanism.type);
    const rvInit = sign
      ? await placeCall(
        module,
        initSpeed,
        offThread.C_SignInit,
        calls.C_SignInit,
        h,
        mech.struct,
        key,
      )
      : await placeCall(
        module,
        initSpeed,
        offThread.C_DecryptInit,
        calls.C_DecryptInit,
        h,
        mech.struct,
        key,
      );
    check(rvInit, initName);
    keepAlive(mech);

    const offThreadCall = sign ? offThread.C_Sign : offThread.C_Decrypt;
    const inlineCall = sign ? calls.C_Sign : calls.C_Decrypt;
    const speed = module.speedOf(fn, key, mechanism.type);
    const input = native(data);
    const inputLength = BigInt(input.byteLength);
    const length = this.#core.outputLength;
    const lengthView = new DataView(length.buffer);
    const call = (record: CallSpeed | undefined, output: Uint8Array | null) =>
      placeCall(module, record, offThreadCall, inlineCall, h, input, inputLength, output, length);
    if (maxLength === undefined) check(await call(undefined, null), fn);
    else lengthView.setBigUint64(0, BigInt(maxLength), true);
    let output = alloc(Number(lengthView.getBigUint64(0, true)));
    let rv = await call(speed, output);
    if (rv === CKR_BUFFER_TOO_SMALL) {
      output = alloc(Number(lengthView.getBigUint64(0, true)));
      rv = await call(speed, output);
    }
    check(rv, fn);
    return output.subarray(0, Number(lengthView.getBigUint64(0, true)));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  toString(): string {
    return `Pkcs11Session(slot ${this.slotId}, handle ${this.handle})`;
  }
}

// Native memory a call points into must outlive the call; passing it here
// after the call keeps it referenced until then.
function keepAlive(..._values: unknown[]): void {}
