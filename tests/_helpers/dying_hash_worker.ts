// Copyright 2026 the aos-common authors. Apache-2.0 license.
// A stand-in for the hash worker that dies on its second message, so tests
// can see hashes carry on without it.
import process from "node:process";
import { parentPort } from "node:worker_threads";

let seen = 0;
parentPort?.on("message", () => {
  if (++seen === 2) process.exit(3);
});
