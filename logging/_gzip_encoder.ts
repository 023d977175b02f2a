// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Writes a sequence of gzip members through one zlib state with AosCore's
// parameters (level 9, 15-bit window, memLevel 8, default strategy; zlib's own
// header with mtime 0, XFL 2 and OS 3). A member ends with a Z_FINISH flush and
// the next starts after a reset, which is byte for byte a fresh deflate
// stream: one native state serves the whole archive.
//
// The native handle of a node:zlib stream is driven synchronously, with one
// output buffer reused for every call. The stream API allocates a buffer per
// output chunk and a callback per write, garbage that V8 frees late: a 200 MB
// log grew a process by 38 MiB that way, against a few MiB here. Compression
// runs on the calling thread, as Deno's node:zlib does for streams too.

import zlib from "node:zlib";

/** What is used of a node:zlib stream's handle: both runtimes have it, the typings do not. */
interface ZlibHandle {
  /** Deflates; leaves the output and input bytes left free/unread in the stream's write state. */
  writeSync(
    flush: number,
    input: Uint8Array,
    inputOffset: number,
    inputLength: number,
    output: Uint8Array,
    outputOffset: number,
    outputLength: number,
  ): void;
  reset(): void;
}

interface GzipInternals {
  _handle?: ZlibHandle;
  _writeState?: Uint32Array;
}

const OUTPUT_SIZE = 64 * 1024;
const { Z_NO_FLUSH, Z_FINISH } = zlib.constants;
const NOTHING = new Uint8Array(0);

export class GzipEncoder {
  readonly #gz: zlib.Gzip;
  readonly #handle: ZlibHandle;
  /** `[output bytes left free, input bytes left unread]` after each call. */
  readonly #state: Uint32Array;
  readonly #output = new Uint8Array(OUTPUT_SIZE);
  readonly #onData: (bytes: Uint8Array) => void;

  /**
   * @param onData Receives the compressed bytes in order; the view is only
   * valid during the call (its buffer is reused).
   */
  constructor(onData: (bytes: Uint8Array) => void) {
    this.#onData = onData;
    const gz = zlib.createGzip({ level: 9 });
    const { _handle: handle, _writeState: state } = gz as unknown as GzipInternals;
    if (typeof handle?.writeSync !== "function" || !(state instanceof Uint32Array)) {
      gz.close();
      throw new Error("this runtime's node:zlib has no synchronous deflate handle");
    }
    // A zlib failure destroys the stream, which then emits it as an event:
    // `#deflate` throws it instead, so the event only needs a listener.
    gz.on("error", () => {});
    this.#gz = gz;
    this.#handle = handle;
    this.#state = state;
  }

  /** Compresses `bytes` into the current member. */
  write(bytes: Uint8Array): void {
    this.#deflate(Z_NO_FLUSH, bytes);
  }

  /** Ends the current member; the next write starts a new one. */
  finishMember(): void {
    this.#deflate(Z_FINISH, NOTHING);
    this.#handle.reset();
  }

  /** Frees the zlib state. */
  close(): void {
    this.#gz.close();
  }

  #deflate(flush: number, input: Uint8Array): void {
    const output = this.#output;
    let offset = 0;
    let length = input.length;
    for (;;) {
      this.#handle.writeSync(flush, input, offset, length, output, 0, OUTPUT_SIZE);
      if (this.#gz.destroyed) throw this.#gz.errored ?? new Error("zlib stream destroyed");
      const free = this.#state[0]!;
      const unread = this.#state[1]!;
      if (free < OUTPUT_SIZE) this.#onData(output.subarray(0, OUTPUT_SIZE - free));
      offset += length - unread;
      length = unread;
      // zlib stops when the input is used up or the output is full; only the
      // latter leaves bytes (of the input or of the finish) to collect.
      if (free > 0) return;
    }
  }
}
