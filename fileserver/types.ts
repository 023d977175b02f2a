// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The interface other modules depend on to publish local files.
 *
 * @module
 */

/** Publishes files under a root directory at URLs other nodes can download from. */
export interface FileServerItf {
  /**
   * The public URL of a local file under the root directory. The file need
   * not exist yet.
   *
   * @param filePath Path of the file, absolute or relative to the working directory.
   * @returns The URL, each path segment percent-encoded.
   * @throws {AosError} `invalidArgument` when the path is the root or lies outside it.
   */
  translateFilePathURL(filePath: string): string;
}
