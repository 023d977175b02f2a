// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The shared libc loader. Deno-only: not listed in tests/node.
import assert from "node:assert/strict";
import {
  cString,
  errno,
  errnoError,
  type Libc,
  libc,
  LIBC_SYMBOLS,
  libcAvailable,
} from "../../utils/_libc.ts";
import { errorIs } from "../../utils/errors.ts";

// The locally declared FFI types must agree with Deno's own.
LIBC_SYMBOLS satisfies Deno.ForeignLibraryInterface;
const _typed: Libc = null as unknown as Deno.StaticForeignLibraryInterface<typeof LIBC_SYMBOLS>;

const available = libcAvailable();
if (!available) {
  // deno-lint-ignore no-console
  console.warn("libc_test: needs Linux and --allow-ffi; FFI cases ignored");
}

Deno.test("libc is opened once and shared", { ignore: !available }, () => {
  assert.equal(libc(), libc());
});

Deno.test("a failed call's errno becomes an AosError with that errno", {
  ignore: !available,
}, () => {
  assert.equal(libc().close(-1), -1);
  assert.equal(errno(), 9, "EBADF");
  assert.equal(libc().close(-1), -1);
  const err = errnoError("can't close");
  assert.equal(err.errno, 9);
  assert.match(err.message, /can't close/);
});

Deno.test("cString terminates with NUL and refuses an inner NUL", () => {
  assert.deepEqual([...cString("ab")], [97, 98, 0]);
  assert.throws(
    () => cString("a\0b", "path"),
    (e) => errorIs(e, "invalidArgument") && /path "a\0b"/.test(String(e)),
  );
});
