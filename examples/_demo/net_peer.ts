// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * The TCP peers step 6 runs inside its network namespaces (with
 * `ip netns exec <ns> ...`): each prints JSON lines on stdout.
 *
 * - `sink <host> <port> <count>`: prints `{"ready":true}` once it listens,
 *   then reads `count` connections to their end, one after the other, and
 *   prints `{"peer", "bytes", "ms"}` for each.
 * - `send <host> <port> <bytes> <timeoutMs>`: connects, sends that many
 *   bytes, prints `{"sent"}`, or `{"error"}` when it cannot connect in time.
 *
 * Run as a script (`deno run --allow-net net_peer.ts ...`) or through
 * {@linkcode runPeer} (the compiled demo starts itself with `--net-peer`).
 *
 * @module
 */

const say = (value: unknown) => console.log(JSON.stringify(value));

/**
 * Runs one peer.
 *
 * @param args `sink <host> <port> <count>` or `send <host> <port> <bytes> <timeoutMs>`.
 */
export async function runPeer(args: readonly string[]): Promise<void> {
  const [mode, hostname = "", port = "0", amount = "0", timeoutMs = "3000"] = args;
  try {
    if (mode === "sink") {
      using listener = Deno.listen({ hostname, port: Number(port) });
      say({ ready: true });
      const buffer = new Uint8Array(256 * 1024);
      for (let i = 0; i < Number(amount); i++) {
        using conn = await listener.accept();
        let bytes = 0;
        let start = 0;
        for (let n; (n = await conn.read(buffer)) !== null;) {
          if (bytes === 0) start = performance.now();
          bytes += n;
        }
        say({
          peer: (conn.remoteAddr as Deno.NetAddr).hostname,
          bytes,
          ms: performance.now() - start,
        });
      }
    } else if (mode === "send") {
      const conn = await Promise.race([
        Deno.connect({ hostname, port: Number(port) }),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), Number(timeoutMs))
        ),
      ]);
      const chunk = new Uint8Array(64 * 1024).fill(0x61);
      for (let left = Number(amount); left > 0; left -= chunk.length) {
        const piece = chunk.subarray(0, Math.min(left, chunk.length));
        for (let at = 0; at < piece.length;) at += await conn.write(piece.subarray(at));
      }
      conn.close();
      say({ sent: Number(amount) });
    } else {
      say({ error: `unknown mode ${mode}` });
    }
  } catch (err) {
    say({ error: (err as Error).message });
  }
  // A connect that timed out is still pending: do not wait for the kernel to give up.
  Deno.exit(0);
}

if (import.meta.main) await runPeer(Deno.args);
