// Copyright 2026 the aos-common authors. Apache-2.0 license.
// One GET of an attempt: the connect timeout (until the final response
// headers), and redirects, followed here rather than by the transport so
// that the same policy applies on every runtime.
import { AosError } from "../utils/errors.ts";
import { permanent } from "./_errors.ts";
import type { Transport, TransportResponse } from "./_transport.ts";

/** What sending a GET needs. */
export interface RequestOptions {
  /** The HTTP client. */
  transport: Transport;
  /** The URL to fetch. */
  url: URL;
  /** Fail with `timeout` when the final response headers take longer. */
  connectTimeoutMs: number;
  /** How many redirects to follow. */
  maxRedirects: number;
  /** The attempt's controller: aborted on a timeout, its signal ends the request. */
  controller: AbortController;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/**
 * Sends a GET and follows redirects: at most `maxRedirects` hops, only to
 * http: or https:, never from https: down to http:; credentials are dropped
 * when a hop leaves the original origin. Refused redirects are permanent.
 *
 * @param options The attempt's client, URL and limits.
 * @param headers The request headers.
 * @returns The final response, not a redirect.
 * @throws {AosError} `timeout` when the headers are late, `failed` on a
 * refused or endless redirect, or the transport's error.
 */
export async function sendGet(
  options: RequestOptions,
  headers: Record<string, string>,
): Promise<TransportResponse> {
  const { controller, connectTimeoutMs, url } = options;
  const timer = setTimeout(() => {
    controller.abort(
      new AosError("timeout", `No response from ${url.host} within ${connectTimeoutMs} ms`),
    );
  }, connectTimeoutMs);
  try {
    return await followRedirects(options, headers);
  } catch (err) {
    // Redirect refusals are ours and will not change on a retry.
    if (err instanceof AosError && !controller.signal.aborted) throw permanent(err);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function followRedirects(
  options: RequestOptions,
  firstHeaders: Record<string, string>,
): Promise<TransportResponse> {
  const { transport, maxRedirects } = options;
  const signal = options.controller.signal;
  let url = options.url;
  let headers = firstHeaders;
  for (let hops = 0;; hops++) {
    const response = await transport.get({ url, headers, signal });
    if (!REDIRECTS.has(response.status)) return response;
    await response.body.cancel();
    const location = response.headers.get("location");
    if (location === null) {
      throw new AosError("failed", `HTTP ${response.status} redirect from ${url} has no Location`);
    }
    if (hops >= maxRedirects) {
      throw new AosError(
        "failed",
        `Too many redirects: more than ${maxRedirects} from ${options.url}`,
      );
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch (cause) {
      throw new AosError("failed", `Cannot follow redirect to "${location}"`, { cause });
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new AosError("failed", `Refused redirect from ${url} to ${next.protocol} URL`);
    }
    if (url.protocol === "https:" && next.protocol === "http:") {
      throw new AosError("failed", `Refused redirect from https to http: ${next}`);
    }
    if (next.origin !== options.url.origin) {
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) =>
          !CREDENTIAL_HEADERS.includes(name.toLowerCase())
        ),
      );
    }
    url = next;
  }
}
