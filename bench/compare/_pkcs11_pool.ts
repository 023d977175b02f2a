// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Worker designs for four signatures in flight, beside bench/compare/pkcs11.sh
// (which runs this with `pool` as its third argument). Not part of the library:
// these bound what a pool of Web Workers could give (BENCHMARKS.md, utils/pkcs11).
//   loop MODULE TOKEN PIN KEY SECONDS WORKERS: each worker signs on its own for
//     SECONDS, with no message per signature (the ceiling);
//   serve MODULE TOKEN PIN KEY SECONDS WORKERS IN_FLIGHT: the main thread keeps
//     IN_FLIGHT signatures going, handing each to a worker by postMessage in turn.
// Prints signatures per second.
const [mode, modulePath, token, pin, label, seconds = "3", count = "2", inFlight = "4"] = Deno.args;
const workers = Array.from(
  { length: Number(count) },
  () => new Worker(new URL("./_pkcs11_pool_worker.ts", import.meta.url), { type: "module" }),
);
const reply = (worker: Worker) =>
  new Promise<MessageEvent>((resolve) => worker.onmessage = resolve);
// One after another: SoftHSM's C_Initialize is not safe to run on two threads
// at once, and each worker's binding calls it.
for (const worker of workers) {
  const ready = reply(worker);
  worker.postMessage({ setup: { modulePath, token, pin, label } });
  await ready;
}

let rate: number;
if (mode === "loop") {
  const done = workers.map(reply);
  const start = performance.now();
  for (const worker of workers) worker.postMessage({ loopMs: Number(seconds) * 1000 });
  const counts = (await Promise.all(done)).map((event) => event.data as number);
  rate = counts.reduce((a, b) => a + b) * 1000 / (performance.now() - start);
} else {
  const waiting = new Map<number, () => void>();
  for (const worker of workers) {
    worker.onmessage = (event) => {
      waiting.get(event.data.id)!();
      waiting.delete(event.data.id);
    };
  }
  let next = 0;
  const sign = (digest: Uint8Array) =>
    new Promise<void>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      workers[id % workers.length]!.postMessage({ id, digest });
    });
  const digest = new Uint8Array(32).fill(1);
  const run = async (ms: number) => {
    const end = performance.now() + ms;
    let signed = 0;
    await Promise.all(Array.from({ length: Number(inFlight) }, async () => {
      while (performance.now() < end) {
        await sign(digest);
        signed++;
      }
    }));
    return signed;
  };
  await run(300);
  const start = performance.now();
  rate = await run(Number(seconds) * 1000) * 1000 / (performance.now() - start);
}
// Each worker releases its module before it goes, the first (whose
// C_Initialize did initialise it, and whose release finalises it) last.
for (const worker of workers.toReversed()) {
  const closed = reply(worker);
  worker.postMessage({ close: true });
  await closed;
  worker.terminate();
}
// deno-lint-ignore no-console
console.log(rate.toFixed(0));
