// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
// A TCP proxy for downloader.sh: forwards 127.0.0.1:<free port> to the given
// upstream port, resets the first connection once it has passed <drop-at>
// bytes to the client, and counts every byte sent to clients. Prints its port,
// then writes the byte count to <stats-file> when it gets SIGTERM.
// Arguments: <upstream-port> <drop-at> <stats-file>
import net from "node:net";
import { writeFileSync } from "node:fs";

const [upstreamPort, dropAt, statsFile] = process.argv.slice(-3) as [string, string, string];
let forwarded = 0;
let connections = 0;
const server = net.createServer((client) => {
  const first = connections++ === 0;
  let passed = 0;
  const upstream = net.connect(Number(upstreamPort), "127.0.0.1");
  client.pipe(upstream);
  upstream.on("data", (chunk: Uint8Array) => {
    forwarded += chunk.length;
    passed += chunk.length;
    if (!client.write(chunk)) {
      upstream.pause();
      client.once("drain", () => upstream.resume());
    }
    if (first && passed >= Number(dropAt)) {
      client.resetAndDestroy();
      upstream.destroy();
    }
  });
  upstream.on("end", () => client.end());
  const close = () => {
    client.destroy();
    upstream.destroy();
  };
  client.on("error", close);
  upstream.on("error", close);
  client.on("close", close);
});
server.listen(0, "127.0.0.1", () => {
  console.log((server.address() as net.AddressInfo).port);
});
process.on("SIGTERM", () => {
  writeFileSync(statsFile, `${forwarded} ${connections}\n`);
  process.exit(0);
});
