// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Server URL normalisation, local path <-> URL translation and request target
// parsing. The security of the server rests on `pathSegments`: every path it
// returns is a list of plain names, none of which can leave a directory.
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { AosError } from "../utils/errors.ts";

const WELL_KNOWN_PORTS: Readonly<Record<string, number>> = {
  "http:": 80,
  "https:": 443,
  "ws:": 80,
  "wss:": 443,
  "ftp:": 21,
};

/** Port of a scheme without a well-known one (AosCore's default). */
const DEFAULT_PORT = 8080;

/** A parsed server URL. */
export interface ServerAddress {
  /** Scheme, lower-cased host and port, path `/`; the port omitted when well-known. */
  base: URL;
  /** The port to listen on; 0 asks for any free port. */
  port: number;
}

/**
 * Normalises a server URL as AosCore does: `http://` is assumed without a
 * scheme, an empty host is `localhost`, a missing port is the scheme's
 * well-known port (8080 when it has none); path, query and fragment are dropped.
 *
 * @throws {AosError} `invalidArgument` when the URL or its port is malformed.
 */
export function parseServerURL(serverURL: string): ServerAddress {
  let text = serverURL.trim();
  if (!text.includes("://")) text = `http://${text}`;
  // WHATWG URL rejects an empty host in http URLs; AosCore reads it as localhost.
  text = text.replace(/^([^:/?#]+:\/\/)(?=[:/?#]|$)/, "$1localhost");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AosError("invalidArgument", `Cannot parse server URL "${serverURL}"`);
  }
  if (url.hostname === "") {
    throw new AosError("invalidArgument", `Cannot parse server URL "${serverURL}": no host`);
  }
  const base = new URL(`${url.protocol}//${url.host.toLowerCase()}/`);
  const port = url.port === "" ? WELL_KNOWN_PORTS[url.protocol] ?? DEFAULT_PORT : Number(url.port);
  if (url.port === "" && !(url.protocol in WELL_KNOWN_PORTS)) base.port = String(DEFAULT_PORT);
  return { base, port };
}

/** The public URL of `path` (file need not exist) relative to the root. */
export function pathToURL(base: URL, rootDir: string, filePath: string): string {
  const root = canonical(resolve(rootDir));
  const rel = relative(root, canonical(resolve(filePath)));
  if (rel === "") {
    throw new AosError(
      "invalidArgument",
      `Cannot translate "${filePath}": it is the root directory`,
    );
  }
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new AosError(
      "invalidArgument",
      `Cannot translate "${filePath}": path is outside root directory "${root}"`,
    );
  }
  return base.origin === "null"
    ? `${base.protocol}//${base.host}/${encodeSegments(rel)}`
    : `${base.origin}/${encodeSegments(rel)}`;
}

/** The local path a URL of this server names (file need not exist). */
export function urlToPath(base: URL, rootDir: string, url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AosError("invalidArgument", `Cannot parse URL "${url}"`);
  }
  if (parsed.protocol !== base.protocol || parsed.host.toLowerCase() !== base.host) {
    throw new AosError("invalidArgument", `URL "${url}" is not served by ${base.href}`);
  }
  const target = targetSegments(parsed.pathname);
  if (typeof target === "number" || target.segments.length === 0) {
    throw new AosError("invalidArgument", `URL "${url}" does not name a file under the root`);
  }
  return join(resolve(rootDir), ...target.segments);
}

/** The decoded path of a request target, or the status to answer with. */
export interface Target {
  segments: string[];
  /** The target ended with `/` (or is `/`): only a directory can match. */
  directory: boolean;
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;
// The scheme and authority of an absolute-form target.
const SCHEME_AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The path of a request target (origin form `/a/b?q`, absolute form
 * `http://h/a/b`, or the path of a parsed URL), still percent-encoded, without
 * query and fragment.
 *
 * @returns The path, starting with `/`; `undefined` for any other form.
 */
export function requestPath(target: string): string | undefined {
  let start = 0;
  if (target.charCodeAt(0) !== SLASH) {
    const scheme = SCHEME_AUTHORITY.exec(target);
    if (scheme === null) return undefined;
    start = scheme[0].length;
  }
  let end = start;
  while (end < target.length) {
    const c = target.charCodeAt(end);
    if (c === QUESTION || c === HASH) break;
    end++;
  }
  const path = target.slice(start, end);
  return path === "" ? "/" : path;
}

/**
 * Splits a request target (see {@linkcode requestPath}) into decoded names.
 *
 * @returns The names, 400 for a malformed percent escape, 404 for anything
 * that is not a plain path under the root: `.`/`..` segments (also when
 * encoded), encoded `/`, backslashes, NUL, a target not starting with `/`.
 */
export function targetSegments(target: string): Target | 400 | 404 {
  const path = requestPath(target);
  return path === undefined ? 404 : pathSegments(path);
}

/**
 * Splits a path from {@linkcode requestPath} into decoded names, with the
 * statuses of {@linkcode targetSegments}.
 */
export function pathSegments(path: string): Target | 400 | 404 {
  const segments: string[] = [];
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) {
    let name = parts[i]!;
    if (name === "") continue;
    if (name.includes("%")) {
      try {
        name = decodeURIComponent(name);
      } catch {
        return 400;
      }
    }
    if (name === "." || name === ".." || /[/\\\0]/.test(name)) return 404;
    segments.push(name);
  }
  return { segments, directory: path.endsWith("/") };
}

function encodeSegments(rel: string): string {
  return rel.split(sep).map(encodeURIComponent).join("/");
}

/**
 * Resolves symlinks in the longest existing prefix of an absolute path, like
 * the "weakly canonical" paths AosCore compares, so a root given through a
 * symlink still contains the files under its target.
 */
function canonical(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) return path;
    rest.unshift(basename(existing));
    existing = parent;
  }
  try {
    return join(realpathSync.native(existing), ...rest);
  } catch {
    return path;
  }
}
