// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// A TCP peer run inside a test namespace (`ip netns exec <ns> deno run ...`).
// Each mode prints one JSON line on stdout when it is done; servers print
// {"ready":true} first, once they listen.
//
//   serve <host> <port>            echo server for one connection; reports the peer's address
//   sink <host> <port>             reads one connection to its end; reports bytes and milliseconds
//   echo <host> <port> <text> [ms] connects, sends text, reports what came back
//   send <host> <port> <bytes>     connects and sends that many bytes
//
// Clients give up after 3 s (or [ms]) and report {"error": "..."}.

const [mode, host, portText, arg, timeoutText] = Deno.args;
const port = Number(portText);
const say = (value: unknown) => console.log(JSON.stringify(value));

async function connect(): Promise<Deno.TcpConn> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), Number(timeoutText ?? 3000));
  });
  try {
    return await Promise.race([Deno.connect({ hostname: host!, port }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

try {
  if (mode === "serve" || mode === "sink") {
    const listener = Deno.listen({ hostname: host!, port });
    say({ ready: true });
    const conn = await listener.accept();
    const peer = (conn.remoteAddr as Deno.NetAddr).hostname;
    if (mode === "serve") {
      const buf = new Uint8Array(64 * 1024);
      const n = await conn.read(buf);
      if (n !== null) await conn.write(buf.subarray(0, n));
      say({ peer });
    } else {
      const buf = new Uint8Array(256 * 1024);
      let total = 0;
      let start = 0;
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) break;
        if (total === 0) start = performance.now();
        total += n;
      }
      say({ peer, bytes: total, ms: performance.now() - start });
    }
    conn.close();
    listener.close();
  } else if (mode === "echo") {
    const conn = await connect();
    await conn.write(new TextEncoder().encode(arg));
    const buf = new Uint8Array(64 * 1024);
    const n = await conn.read(buf);
    say({ reply: new TextDecoder().decode(buf.subarray(0, n ?? 0)) });
    conn.close();
  } else if (mode === "send") {
    const conn = await connect();
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let left = Number(arg);
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      let written = 0;
      while (written < n) written += await conn.write(chunk.subarray(written, n));
      left -= n;
    }
    conn.close();
    say({ sent: Number(arg) });
  } else {
    say({ error: `unknown mode ${mode}` });
  }
} catch (err) {
  say({ error: (err as Error).message });
}
// A connect that timed out is still pending; do not wait for the kernel to give up on it.
Deno.exit(0);
