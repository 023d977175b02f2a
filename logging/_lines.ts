// Copyright 2026 the aos-common authors. Apache-2.0 license.
// Cuts log text into line messages for a PartWriter, in any chunking, with
// the same parts as one message per line. Whole lines that fit in the open
// part go over in one copy; a line that spans chunks is held only until it is
// known to need a part of its own, after which its bytes stream into that part.

import type { PartWriter } from "./_part_writer.ts";

const NEWLINE = 0x0a;

export class LineSplitter {
  readonly #writer: PartWriter;
  /** The pieces so far of a line that spans chunks (copies: sources may reuse buffers). */
  #pieces: Uint8Array[] = [];
  #piecesSize = 0;
  /** The current line already started its own part; its bytes go straight there. */
  #spill = false;

  constructor(writer: PartWriter) {
    this.#writer = writer;
  }

  /** Takes the next chunk of text. */
  take(chunk: Uint8Array): void {
    const writer = this.#writer;
    writer.checkUsable();
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    let s = 0;
    while (s < chunk.length) {
      const nl = s > lastNewline ? -1 : chunk.indexOf(NEWLINE, s);
      const end = nl < 0 ? chunk.length : nl + 1;
      if (this.#spill) {
        writer.append(chunk.subarray(s, end));
        this.#spill = nl < 0;
        s = end;
      } else if (this.#piecesSize > 0 || nl < 0) {
        this.#pieces.push(chunk.slice(s, end));
        this.#piecesSize += end - s;
        s = end;
        if (nl >= 0) {
          this.end();
        } else if (this.#piecesSize > writer.room) {
          writer.checkPartCount();
          writer.startPart(this.#pieces);
          this.#pieces = [];
          this.#piecesSize = 0;
          this.#spill = true;
        }
      } else {
        s = this.#wholeLines(chunk, s, lastNewline + 1);
      }
    }
  }

  /** Ends the text: what follows the last newline is a message too. */
  end(): void {
    if (this.#piecesSize === 0) return;
    const pieces = this.#pieces;
    const size = this.#piecesSize;
    this.#pieces = [];
    this.#piecesSize = 0;
    this.#writer.addMessage(pieces, size);
  }

  /**
   * Takes the complete lines of `chunk[start, end)` that fit in the open part
   * in one copy; when the first line does not fit, starts a new part with it.
   * Returns where the next line starts.
   */
  #wholeLines(chunk: Uint8Array, start: number, end: number): number {
    const writer = this.#writer;
    writer.checkUsable();
    writer.checkPartCount();
    const room = writer.room;
    let cut = end;
    if (end - start > room) {
      cut = room > 0 ? chunk.lastIndexOf(NEWLINE, start + room - 1) + 1 : 0;
      if (cut <= start) {
        const lineEnd = chunk.indexOf(NEWLINE, start) + 1;
        writer.startPart([chunk.subarray(start, lineEnd)]);
        return lineEnd;
      }
    }
    writer.append(chunk.subarray(start, cut));
    return cut;
  }
}
