// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The interfaces of the logging module: the sender a log producer hands
 * `pushLog` messages to, the limits of an archive, and the options of
 * {@linkcode LogArchiver}.
 *
 * @module
 */

import type { PushLog } from "./_protocol.ts";

/**
 * Delivers `pushLog` messages (the service manager's gRPC stream to the
 * communication manager, or the cloud connection). The archiver calls it once
 * per part, strictly in order, and waits for each promise before the next.
 */
export interface LogSender {
  /**
   * Delivers one message.
   *
   * @param log The message; its `content` is not reused by the caller afterwards,
   * unless the archiver has {@linkcode LogArchiverOptions.reuseContent} set.
   * @returns A promise that settles when the message is handed over.
   */
  sendLog(log: PushLog): Promise<void>;
}

/** The limits of one archive, as in AosCore's logging config. */
export interface LoggingConfig {
  /**
   * Uncompressed bytes per part. A line is never split: a part ends before
   * the line that would make it exceed this size.
   */
  maxPartSize: number;
  /**
   * Number of part boundaries an archive may have. As in AosCore, an archive
   * holds at most `maxPartCount + 1` parts.
   */
  maxPartCount: number;
}

/** Options of the {@linkcode LogArchiver} constructor. */
export interface LogArchiverOptions {
  /**
   * Go on with the next part when the sender rejects one, as AosCore does.
   * The rejections are returned in {@linkcode SendLogResult.errors}.
   * Otherwise the first rejection stops the archive and `sendLog` rejects.
   *
   * @default {false}
   */
  ignoreSendErrors?: boolean;
  /**
   * Hand every part's `content` to the sender in one buffer that the next
   * part overwrites, instead of a fresh buffer per part. Set it when the
   * sender is done with `content` once its promise settles (it encoded,
   * copied or wrote it), as a transport that serializes each message at once
   * is. It saves an allocation per part that the runtime frees late: under
   * Deno, archiving 200 MB then peaks about 15 MiB lower.
   *
   * @default {false}
   */
  reuseContent?: boolean;
  /**
   * Compressed bytes kept in memory. Beyond this, the compressed parts move
   * to an unlinked temporary file, so memory stays bounded whatever the size
   * of the log.
   *
   * @default {4194304}
   */
  memoryLimit?: number;
  /**
   * Directory of the temporary file.
   *
   * @default {tempDir()} (`TMPDIR`, `TMP`, `TEMP`, `TEMPDIR`, else `/tmp`)
   */
  tempDir?: string;
}

/** Progress of {@linkcode LogArchiver.addLines}. */
export interface AddLinesProgress {
  /** Bytes of log text read so far. */
  bytes: number;
  /** Parts started so far (closed ones and the open one). */
  parts: number;
}

/** Options of {@linkcode LogArchiver.addLines}. */
export interface AddLinesOptions {
  /** Stops reading; the call rejects with kind `canceled`. Lines read before stay added. */
  signal?: AbortSignal;
  /** Called after each chunk of input. */
  onProgress?: (progress: AddLinesProgress) => void;
}

/** Progress of {@linkcode LogArchiver.sendLog}. */
export interface SendLogProgress {
  /** The part just handed to the sender (1-based). */
  part: number;
  /** Number of parts of the archive. */
  partsCount: number;
  /** Compressed bytes handed over so far. */
  bytes: number;
}

/** Options of {@linkcode LogArchiver.sendLog}. */
export interface SendLogOptions {
  /** Stops between parts; the call rejects with kind `canceled`. */
  signal?: AbortSignal;
  /** Called after each part is handed over. */
  onProgress?: (progress: SendLogProgress) => void;
}

/** What {@linkcode LogArchiver.sendLog} delivered. */
export interface SendLogResult {
  /** Number of parts sent (1 for an `empty` log). */
  partsCount: number;
  /** Uncompressed bytes of the log. */
  size: number;
  /** Compressed bytes of all parts. */
  compressedSize: number;
  /** Sender rejections, with `ignoreSendErrors` only; otherwise always empty. */
  errors: unknown[];
}
