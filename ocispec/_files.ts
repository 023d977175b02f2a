// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One codec shape for every document, and the file I/O around it.
import { readFile } from "node:fs/promises";
import { atomicWriteFile, toFilePath } from "../utils/fs.ts";
import { makeContext, type Obj, rootObject } from "./_reader.ts";
import type { JsonOut } from "./_common.ts";
import { OciError } from "./errors.ts";
import type { ParseOptions } from "./types.ts";

/** How one document kind is read and written. */
export interface Codec<T> {
  /** `"image manifest"`, for messages. */
  doc: string;
  read(obj: Obj): T;
  toJSON(value: T): JsonOut;
}

export function parseWith<T>(codec: Codec<T>, input: unknown, options: ParseOptions): T {
  return codec.read(rootObject(makeContext(codec.doc, options), input));
}

/** Parses bytes read from `path` (a blob, say), naming the file in errors. */
export function parseAt<T>(
  codec: Codec<T>,
  bytes: Uint8Array,
  path: string,
  options: ParseOptions,
): T {
  return codec.read(rootObject(makeContext(codec.doc, options, path), bytes));
}

export function stringifyWith<T>(codec: Codec<T>, value: T): string {
  return JSON.stringify(codec.toJSON(value));
}

export async function loadWith<T>(
  codec: Codec<T>,
  path: string | URL,
  options: ParseOptions,
): Promise<T> {
  const file = toFilePath(path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const missing = (err as { code?: unknown }).code === "ENOENT";
    throw new OciError(
      missing ? "notFound" : "failed",
      `Cannot load ${codec.doc} "${file}": ${missing ? "file not found" : "cannot read file"}`,
      { cause: err, path: file },
    );
  }
  return parseAt(codec, bytes, file, options);
}

export async function saveWith<T>(codec: Codec<T>, path: string | URL, value: T): Promise<void> {
  const file = toFilePath(path);
  const text = stringifyWith(codec, value);
  try {
    await atomicWriteFile(file, text);
  } catch (err) {
    throw new OciError("failed", `Cannot save ${codec.doc} "${file}"`, { cause: err, path: file });
  }
}
