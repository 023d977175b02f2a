// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import {
  AosError,
  ERROR_CODES,
  ERROR_TEXT,
  errorIs,
  fromErrorInfo,
  hasErrno,
  isAosError,
  toErrorInfo,
} from "../../utils/errors.ts";

Deno.test("AosError without a message shows the kind's text and reports an empty wire message", () => {
  const err = new AosError("notFound");
  assert.equal(err.code, 5);
  assert.equal(err.message, "not found");
  assert.equal(err.name, "AosError");
  assert.ok(err instanceof Error);
  assert.deepEqual(err.toErrorInfo(), { aosCode: 5, exitCode: 0, message: "" });
});

Deno.test("error codes follow AosCore's enum order", () => {
  assert.deepEqual(Object.entries(ERROR_CODES).map(([k, v]) => [v, k]), [
    [0, "none"],
    [1, "failed"],
    [2, "runtime"],
    [3, "noMemory"],
    [4, "outOfRange"],
    [5, "notFound"],
    [6, "invalidArgument"],
    [7, "timeout"],
    [8, "alreadyExist"],
    [9, "wrongState"],
    [10, "invalidChecksum"],
    [11, "alreadyLoggedIn"],
    [12, "notSupported"],
    [13, "eof"],
    [14, "canceled"],
  ]);
  assert.equal(ERROR_TEXT.runtime, "runtime error");
  assert.equal(ERROR_TEXT.eof, "EOF");
});

Deno.test("wrap keeps kind and errno, adds context, reports the innermost message", () => {
  const inner = new AosError("notFound", "x");
  const wrapped = AosError.wrap(inner, undefined, "ctx");
  assert.equal(wrapped.kind, "notFound");
  assert.ok(errorIs(wrapped, "notFound"));
  assert.equal(wrapped.message, "ctx: x");
  assert.equal(wrapped.cause, inner);
  assert.equal(wrapped.toErrorInfo().message, "x");

  const twice = AosError.wrap(wrapped, "failed", "outer");
  assert.equal(twice.kind, "failed");
  assert.equal(twice.message, "outer: ctx: x");
  assert.equal(toErrorInfo(twice).message, "x");
});

Deno.test("wrapping an error without a message shows the kind's text after the context", () => {
  const wrapped = AosError.wrap(new AosError("runtime"), undefined, "oops");
  assert.equal(wrapped.message, "oops: runtime error");
  assert.equal(wrapped.toErrorInfo().message, "oops");
});

Deno.test("fromErrno makes a runtime error with a positive errno and strerror text", () => {
  const err = AosError.fromErrno(11, "Problem with resource");
  assert.equal(err.kind, "runtime");
  assert.equal(err.errno, 11);
  assert.match(err.toString(), /^Problem with resource \[.*resource temporarily unavailable\]$/i);
  assert.equal(AosError.fromErrno(-22).errno, 22);
  assert.equal(AosError.fromErrno(0).errno, undefined);
  assert.deepEqual(AosError.wrap(err, undefined, "ctx").toErrorInfo(), {
    aosCode: 2,
    exitCode: 11,
    message: "Problem with resource",
  });
});

Deno.test("from maps abort, timeout, system and plain errors", async () => {
  assert.equal(AosError.from(new DOMException("x", "AbortError")).kind, "canceled");
  assert.equal(AosError.from(new DOMException("x", "TimeoutError")).kind, "timeout");
  const plain = AosError.from(new Error("boom"));
  assert.equal(plain.kind, "failed");
  assert.equal(plain.message, "boom");
  assert.equal(AosError.from(new Error("boom"), "runtime").kind, "runtime");
  assert.equal(AosError.from("text").message, "text");

  const enoent = await readFile("/definitely/not/here").catch((e: unknown) => e);
  const sys = AosError.from(enoent);
  assert.equal(sys.kind, "runtime");
  assert.ok(hasErrno(sys, "ENOENT"));
  assert.ok(hasErrno(enoent, 2));
  assert.ok(!hasErrno(enoent, "EACCES"));
  const same = new AosError("eof");
  assert.equal(AosError.from(same), same);
});

Deno.test("fromErrorInfo treats code 0 as success and restores kind and message", () => {
  assert.equal(fromErrorInfo({ aosCode: 0, exitCode: 2, message: "m" }), undefined);
  assert.equal(fromErrorInfo(undefined), undefined);
  const err = fromErrorInfo({ aosCode: 12, message: "m" });
  assert.ok(isAosError(err));
  assert.equal(err.kind, "notSupported");
  assert.equal(err.message, "m");
  assert.equal(err.errno, undefined);
  assert.equal(fromErrorInfo({ aosCode: 99, exitCode: 0, message: "" })?.kind, "failed");
});

Deno.test("toJSON gives a structured record", () => {
  assert.deepEqual(AosError.fromErrno(2, "gone").toJSON(), {
    name: "AosError",
    kind: "runtime",
    code: 2,
    errno: 2,
    message: "gone",
  });
});

Deno.test("an HTTP status has its own field; toString adds strerror text only for a real errno", () => {
  const http = new AosError("runtime", "HTTP 404 Not Found from http://h/f", { status: 404 });
  assert.equal(http.status, 404);
  assert.equal(http.errno, undefined);
  assert.equal(http.toString(), "HTTP 404 Not Found from http://h/f");
  assert.deepEqual(http.toErrorInfo(), { aosCode: 2, exitCode: 404, message: http.message });
  assert.equal(AosError.wrap(http, undefined, "download").status, 404);
  assert.equal(http.toJSON().status, 404);
  // A number that names no system error gets no suffix rather than "[undefined]".
  assert.equal(new AosError("runtime", "odd", { errno: 4000 }).toString(), "odd");
  assert.match(AosError.fromErrno(2, "gone").toString(), /^gone \[no such file or directory\]$/i);
});
