// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The full codec (decodeFrame + encodeFrame) beside plain JSON.parse +
// JSON.stringify of the same bytes (UTF-8 decode and encode included in both).
import { decodeFrame, encodeFrame } from "../cloudprotocol/mod.ts";
import { desiredStatusFrame, unitStatusFrame } from "./_cloudprotocol_inputs.ts";

const INPUTS = {
  "desiredStatus (every count limit full)": new TextEncoder().encode(desiredStatusFrame()),
  "unitStatus (256 instances, 16 nodes)": new TextEncoder().encode(unitStatusFrame()),
};

for (const [name, bytes] of Object.entries(INPUTS)) {
  const group = `${name}, ${(bytes.length / 1024).toFixed(0)} KiB`;
  Deno.bench({
    name: "JSON.parse + JSON.stringify",
    group,
    baseline: true,
    fn() {
      new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(bytes))));
    },
  });
  Deno.bench({
    name: "decodeFrame + encodeFrame",
    group,
    fn() {
      encodeFrame(decodeFrame(bytes));
    },
  });
  const frame = decodeFrame(bytes);
  Deno.bench({ name: "decodeFrame", group, fn: () => void decodeFrame(bytes) });
  Deno.bench({ name: "encodeFrame", group, fn: () => void encodeFrame(frame) });
}
