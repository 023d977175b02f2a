// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Deno only: the documentation rules `deno doc --lint` does not check. Every
// exported function and class of every entry point in deno.json has an
// `@example` (the examples themselves run under `deno test --doc`), and every
// `@default` is a tag of its own, which `deno doc` shows as the default,
// rather than words inside a description.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const root = new URL("../", import.meta.url);

interface JsDoc {
  doc?: string;
  tags?: { kind: string; doc?: string }[];
}

interface Location {
  filename: string;
  line: number;
}

interface Declaration {
  kind: string;
  declarationKind: string;
  location: Location;
  jsDoc?: JsDoc;
}

interface DocSymbol {
  name: string;
  declarations: Declaration[];
}

interface DocOutput {
  nodes: Record<string, { symbols: DocSymbol[] }>;
}

/** The entry points of the package (the root only re-exports the others as namespaces). */
async function entryPoints(): Promise<string[]> {
  const config = JSON.parse(await readFile(new URL("deno.json", root), "utf8"));
  return Object.entries(config.exports as Record<string, string>)
    .filter(([name]) => name !== ".")
    .map(([, path]) => path);
}

async function docOf(paths: string[]): Promise<DocOutput> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...paths],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** `ocispec/image_index.ts:30`: a location relative to the repository. */
function where(location: Location): string {
  return `${location.filename.slice(root.href.length)}:${location.line}`;
}

/** Every `jsDoc` object anywhere in `value`, with where it was found. */
function* jsDocs(value: unknown, at: string): Generator<[JsDoc, string]> {
  if (Array.isArray(value)) {
    for (const item of value) yield* jsDocs(item, at);
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const location = record.location as Location | undefined;
    const name = typeof record.name === "string" ? ` ${record.name}` : "";
    const here = location?.filename === undefined ? at : where(location) + name;
    for (const [key, item] of Object.entries(record)) {
      if (key === "jsDoc") yield [item as JsDoc, here];
      else yield* jsDocs(item, here);
    }
  }
}

const doc = await docOf(await entryPoints());
// A symbol re-exported by several entry points is one symbol.
const exported = new Map<string, { name: string; declarations: Declaration[] }>();
for (const { symbols } of Object.values(doc.nodes)) {
  for (const symbol of symbols) {
    const declarations = symbol.declarations.filter((d) =>
      d.declarationKind === "export" && (d.kind === "function" || d.kind === "class")
    );
    if (declarations.length > 0) {
      exported.set(`${where(declarations[0]!.location)} ${symbol.name}`, {
        ...symbol,
        declarations,
      });
    }
  }
}

Deno.test("every exported function and class has an @example", () => {
  const missing = [...exported.keys()].filter((key) =>
    !exported.get(key)!.declarations.some((d) =>
      d.jsDoc?.tags?.some((tag) => tag.kind === "example")
    )
  ).sort();
  assert.ok(exported.size > 100, `only ${exported.size} exported functions and classes found`);
  assert.deepEqual(
    missing,
    [],
    `${missing.length} of ${exported.size} exported functions and classes have no @example`,
  );
});

Deno.test("every @default is a tag on its own line", () => {
  const inline: string[] = [];
  for (const [jsDoc, at] of jsDocs(doc.nodes, "")) {
    const texts = [jsDoc.doc, ...(jsDoc.tags ?? []).map((tag) => tag.doc)];
    if (texts.some((text) => text?.includes("@default"))) inline.push(at);
  }
  assert.deepEqual([...new Set(inline)].sort(), []);
});
