// Copyright 2026 the aos-common authors. Apache-2.0 license.
// libnftables (Debian's libnftables1) over Deno FFI: the library nft itself is
// built on. A context is created inside the target namespace, where it opens
// its netlink socket, so every later command works there. Commands run on
// Deno's blocking pool (nonblocking calls), one at a time per context.

import { AosError } from "../../utils/errors.ts";
import { cString } from "../../utils/_libc.ts";
import { inNetns } from "../_netlink/netns.ts";
import { SerialQueue } from "../_settle.ts";
import type { FeatureProbe } from "../probe.ts";

const LIBRARY = "libnftables.so.1";

const NFTABLES_SYMBOLS = {
  nft_ctx_new: { parameters: ["u32"], result: "pointer" },
  nft_ctx_free: { parameters: ["pointer"], result: "void" },
  nft_ctx_buffer_output: { parameters: ["pointer"], result: "i32" },
  nft_ctx_buffer_error: { parameters: ["pointer"], result: "i32" },
  nft_ctx_output_set_flags: { parameters: ["pointer", "u32"], result: "void" },
  nft_run_cmd_from_buffer: { parameters: ["pointer", "buffer"], result: "i32", nonblocking: true },
  nft_ctx_get_output_buffer: { parameters: ["pointer"], result: "pointer" },
  nft_ctx_get_error_buffer: { parameters: ["pointer"], result: "pointer" },
} as const satisfies Deno.ForeignLibraryInterface;

type NftSymbols = Deno.DynamicLibrary<typeof NFTABLES_SYMBOLS>["symbols"];

/** Output flags of nft_ctx_output_set_flags. */
export const NFT_OUTPUT_HANDLE = 1 << 3;
export const NFT_OUTPUT_JSON = 1 << 4;
export const NFT_OUTPUT_ECHO = 1 << 5;

let loaded: NftSymbols | undefined;

function nftables(): NftSymbols {
  if (loaded !== undefined) return loaded;
  try {
    loaded = Deno.dlopen(LIBRARY, NFTABLES_SYMBOLS).symbols;
  } catch (err) {
    throw new AosError("notSupported", `Cannot open ${LIBRARY} (Debian package libnftables1)`, {
      cause: err,
    });
  }
  return loaded;
}

/** Whether libnftables can be opened here. */
export function nftablesAvailable(): FeatureProbe {
  try {
    nftables();
    return { available: true };
  } catch (err) {
    return { available: false, reason: (err as Error).message };
  }
}

/** The outcome of one command buffer. */
export interface NftResult {
  ok: boolean;
  output: string;
  error: string;
}

/** One libnftables context, bound to the namespace it was created in. */
export class NftContext {
  readonly #lib: NftSymbols;
  #ctx: Deno.PointerValue;
  readonly #queue = new SerialQueue();

  private constructor(lib: NftSymbols, ctx: Deno.PointerValue) {
    this.#lib = lib;
    this.#ctx = ctx;
  }

  /** Creates a context in the current namespace or inside `netnsPath`. */
  static open(netnsPath?: string): NftContext {
    const lib = nftables();
    const create = () => lib.nft_ctx_new(0);
    const ctx = netnsPath === undefined || netnsPath === ""
      ? create()
      : inNetns(netnsPath, { operation: "nftables", interface: netnsPath }, create);
    if (ctx === null) throw new AosError("failed", "nft_ctx_new failed");
    lib.nft_ctx_buffer_output(ctx);
    lib.nft_ctx_buffer_error(ctx);
    return new NftContext(lib, ctx);
  }

  /** Runs a command buffer (one atomic batch) with the given output flags. */
  run(commands: string, flags: number): Promise<NftResult> {
    return this.#queue.run(async () => {
      if (this.#ctx === null) throw new AosError("wrongState", "nftables context is closed");
      this.#lib.nft_ctx_output_set_flags(this.#ctx, flags);
      const rc = await this.#lib.nft_run_cmd_from_buffer(
        this.#ctx,
        cString(commands, "nft commands"),
      );
      return {
        ok: rc === 0,
        output: read(this.#lib.nft_ctx_get_output_buffer(this.#ctx)),
        error: read(this.#lib.nft_ctx_get_error_buffer(this.#ctx)),
      };
    });
  }

  /** Frees the context once the running command is done. */
  async close(): Promise<void> {
    await this.#queue.idle();
    if (this.#ctx === null) return;
    this.#lib.nft_ctx_free(this.#ctx);
    this.#ctx = null;
  }
}

function read(pointer: Deno.PointerValue): string {
  return pointer === null ? "" : Deno.UnsafePointerView.getCString(pointer);
}
