// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The optional directory listing: a plain HTML page of links.
import { readdir } from "node:fs/promises";

const ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Renders the listing of `dir`, whose URL path is made of `segments`. Links
 * are absolute, so they work with or without a trailing slash in the request.
 */
export async function renderListing(dir: string, segments: readonly string[]): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .map((entry) => entry.isDirectory() ? `${entry.name}/` : entry.name)
    .sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
  const prefix = segments.map((s) => `${encodeURIComponent(s)}/`).join("");
  const title = escapeHtml(`/${segments.map((s) => `${s}/`).join("")}`);
  const rows = names.map((name) => {
    const href = `/${prefix}${encodeURIComponent(name.replace(/\/$/, ""))}${
      name.endsWith("/") ? "/" : ""
    }`;
    return `<li><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></li>`;
  });
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Index of ${title}</title></head>` +
    `<body><h1>Index of ${title}</h1><ul>\n${rows.join("\n")}\n</ul></body></html>\n`;
}
