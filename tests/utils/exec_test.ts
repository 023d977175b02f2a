// Copyright 2026 the aos-common authors. Apache-2.0 license.
import assert from "node:assert/strict";
import process from "node:process";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execCommand, execDetachedCommand, ExecError } from "../../utils/exec.ts";
import { AosError, errorIs } from "../../utils/errors.ts";

function execError(exitCode: number, message?: string): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof ExecError, String(e));
    assert.ok(e instanceof AosError);
    assert.equal(e.kind, "runtime");
    assert.equal(e.exitCode, exitCode);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  };
}

Deno.test("execCommand returns stdout and stderr in arrival order", async () => {
  const output = await execCommand([
    "sh",
    "-c",
    "echo out; sleep 0.05; echo err >&2; sleep 0.05; echo more",
  ]);
  assert.equal(output, "out\nerr\nmore\n");
});

Deno.test("an unexpected exit code rejects with AosCore's exit=<rc> message and the output", async () => {
  const args = ["sh", "-c", "echo out; sleep 0.05; echo err >&2; exit 3"];
  await assert.rejects(execCommand(args), (e) => {
    execError(3, "exit=3: out\nerr\n")(e);
    assert.deepEqual((e as ExecError).command, args);
    assert.equal((e as ExecError).toErrorInfo().aosCode, 2);
    return true;
  });
  assert.equal(await execCommand(args, { expectedExitCodes: [0, 3] }), "out\nerr\n");
  await assert.rejects(execCommand(["true"], { expectedExitCodes: [1] }), execError(0, "exit=0"));
});

Deno.test("long output is cut to 128 characters in the message but kept whole", async () => {
  await assert.rejects(execCommand(["sh", "-c", "printf '%0200d' 0; exit 1"]), (e) => {
    execError(1, `exit=1: ${"0".repeat(128)}...`)(e);
    assert.equal((e as ExecError).output, "0".repeat(200));
    return true;
  });
});

Deno.test("a child killed by a signal reports exit code -1", async () => {
  await assert.rejects(execCommand(["sh", "-c", "kill -9 $$"]), execError(-1, "exit=-1"));
});

Deno.test("NOTIFY_SOCKET is removed from the child's environment; env and cwd apply", async () => {
  const saved = process.env.NOTIFY_SOCKET;
  process.env.NOTIFY_SOCKET = "/run/systemd/notify";
  try {
    const out = await execCommand(["sh", "-c", 'echo "${NOTIFY_SOCKET-unset} $EXTRA"'], {
      env: { EXTRA: "yes" },
    });
    assert.equal(out, "unset yes\n");
  } finally {
    if (saved === undefined) delete process.env.NOTIFY_SOCKET;
    else process.env.NOTIFY_SOCKET = saved;
  }
  const dir = await mkdtemp(join(tmpdir(), "exec_test"));
  try {
    assert.equal(await execCommand(["pwd"], { cwd: dir }), `${await realpath(dir)}\n`);
  } finally {
    await rm(dir, { recursive: true });
  }
});

Deno.test("a megabyte of output does not deadlock the pipe", async () => {
  const out = await execCommand([
    "sh",
    "-c",
    "head -c 1048576 /dev/zero | tr '\\0' a; echo done >&2",
  ]);
  assert.equal(out.length, 1048576 + 5);
  assert.ok(out.endsWith("done\n"));
});

Deno.test("a daemonised grandchild holding the pipe open does not hang the call", async () => {
  let guard: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error("execCommand waited for the grandchild")), 20_000);
  });
  try {
    const out = await Promise.race([execCommand(["sh", "-c", "sleep 60 & echo $!"]), hang]);
    const pid = Number(out.trim());
    assert.ok(pid > 0, out);
    process.kill(pid);
  } finally {
    clearTimeout(guard);
  }
});

Deno.test("a program that cannot start rejects with runtime", async () => {
  await assert.rejects(execCommand(["/nonexistent/program"]), (e) => {
    assert.ok(e instanceof AosError && !(e instanceof ExecError));
    assert.equal(e.kind, "runtime");
    assert.match(e.message, /^can't spawn process "\/nonexistent\/program"/);
    return true;
  });
  await assert.rejects(execCommand([]), (e) => errorIs(e, "invalidArgument"));
  await assert.rejects(
    execCommand(["true"], { timeoutMs: -1 }),
    (e) => errorIs(e, "invalidArgument"),
  );
});

Deno.test("a timeout kills the child and rejects with timeout", async () => {
  await assert.rejects(execCommand(["sleep", "30"], { timeoutMs: 50 }), (e) => {
    assert.ok(errorIs(e, "timeout"));
    assert.match(String(e), /command "sleep" timed out after 50 ms/);
    return true;
  });
});

Deno.test("an abort kills the child and rejects with canceled", async () => {
  const controller = new AbortController();
  const pending = execCommand(["sleep", "30"], { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(pending, (e) => errorIs(e, "canceled"));
  await assert.rejects(
    execCommand(["true"], { signal: AbortSignal.abort() }),
    (e) => errorIs(e, "canceled"),
  );
});

Deno.test("execDetachedCommand checks the exit code without capturing output", async () => {
  await execDetachedCommand(["true"]);
  await assert.rejects(execDetachedCommand(["sh", "-c", "exit 2"]), execError(2, "exit=2"));
  await execDetachedCommand(["sh", "-c", "exit 2"], { expectedExitCodes: [2] });
});
