// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Lets the portable `Deno.test` suites run under Node's test runner: it
// installs a `Deno.test` that registers each case with `node:test`. Only
// `Deno.test` is provided; portable tests use `node:` and web APIs for the rest.
import { test as nodeTest, type TestContext } from "node:test";

type Fn = (t: StepContext) => void | Promise<void>;
interface StepContext {
  name: string;
  step(name: string, fn: Fn): Promise<boolean>;
}
interface Definition {
  name?: string | undefined;
  fn?: Fn | undefined;
  ignore?: boolean | undefined;
  only?: boolean | undefined;
}

function adapt(fn: Fn, name: string): (t: TestContext) => Promise<void> {
  return async (t) => {
    const ctx: StepContext = {
      name,
      async step(stepName, stepFn) {
        await t.test(stepName, adapt(stepFn, stepName));
        return true;
      },
    };
    await fn(ctx);
  };
}

function register(a: string | Definition | Fn, b?: Definition | Fn, c?: Fn): void {
  let def: Definition;
  if (typeof a === "string") {
    def = typeof b === "function" ? { name: a, fn: b } : { ...b, name: a, fn: c ?? b?.fn };
  } else if (typeof a === "function") {
    def = { name: a.name, fn: a };
  } else {
    def = typeof b === "function" ? { ...a, fn: b } : a;
  }
  const name = def.name ?? "(unnamed)";
  const fn = def.fn;
  if (fn === undefined) throw new TypeError(`Deno.test shim: test "${name}" has no function`);
  nodeTest(name, { skip: def.ignore === true, only: def.only === true }, adapt(fn, name));
}

const g = globalThis as unknown as { Deno?: { test?: unknown } };
if (g.Deno === undefined) g.Deno = { test: register };
