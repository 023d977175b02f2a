// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// Counts the functions compiled from strings (`new Function`, `Function()`)
// while cloudprotocol is imported, then while it decodes and encodes one
// frame, and prints both counts as one JSON line.
const counter = { compiled: 0 };
const NativeFunction = globalThis.Function;
(globalThis as { Function: FunctionConstructor }).Function = new Proxy(NativeFunction, {
  construct(target, args, newTarget) {
    counter.compiled++;
    return Reflect.construct(target, args, newTarget);
  },
  apply(target, self, args) {
    counter.compiled++;
    return Reflect.apply(target, self, args);
  },
});

const { decodeFrame, encodeFrame } = await import("../../cloudprotocol/mod.ts");
const atImport = counter.compiled;
const frame = decodeFrame(
  '{"header":{"version":7,"systemId":"unit-1","txn":"t1"},"data":{"messageType":"nack"}}',
);
encodeFrame(frame);
console.log(JSON.stringify({ atImport, afterUse: counter.compiled }));
