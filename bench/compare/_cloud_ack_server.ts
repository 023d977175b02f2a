// Copyright 2026 the aos-common authors. Apache-2.0 license.
// deno-lint-ignore-file no-console
/**
 * A lean cloud for the connection benchmark, run as its own process so that
 * its work does not share the client's event loop: discovery on `POST /sd`,
 * a WebSocket on `/ws` that acks every binary frame at once. It reads the
 * txn with `JSON.parse` and writes the ack from a template; the same for
 * every client. Prints its port, then serves until stdin closes.
 *
 * @module
 */
import http from "node:http";
import process from "node:process";
import { loadWs } from "../../cloudprotocol/_ws.ts";

const { WebSocketServer } = await loadWs();

const wss = new WebSocketServer({ noServer: true });
const server = http.createServer((req, res) => {
  const port = (server.address() as { port: number }).port;
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
      version: 7,
      connectionInfo: [`ws://127.0.0.1:${port}/ws`],
      authToken: "bench",
    }));
  });
});
const decoder = new TextDecoder();
server.on("upgrade", (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on("message", (data, binary) => {
      if (!binary) return;
      const { header } = JSON.parse(decoder.decode(data));
      ws.send(
        `{"header":{"version":7,"systemId":"${header.systemId}","createdAt":"${header.createdAt}",` +
          `"txn":"${header.txn}"},"data":{"messageType":"ack"}}`,
        { binary: true },
      );
    });
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log((server.address() as { port: number }).port);
});
process.stdin.resume();
process.stdin.on("close", () => process.exit(0));
process.stdin.on("end", () => process.exit(0));
