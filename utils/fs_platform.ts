// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The file system facts a disk budget needs: where a path is mounted, how big
 * and how full that partition is, how much a directory holds, and the
 * ownership and quota changes done for service users.
 *
 * {@linkcode FSPlatform} is the interface the space allocator depends on;
 * {@linkcode LinuxFSPlatform} implements it with `/proc/self/mountinfo`,
 * `statfs`, `lchown` and the `setquota` tool, and the functions below are
 * usable on their own. Everything runs on Deno and Node 24.
 *
 * Sizes are byte counts as `number` (exact up to 2^53 bytes, 8 PiB).
 *
 * @module
 */

import { statfs } from "node:fs/promises";
import { AosError } from "./errors.ts";
import { getBlockDevice, getMountPoint, type MountInfoOptions } from "./mount.ts";
import { calculateSize, type CalculateSizeOptions } from "./calculate_size.ts";
import { changeOwner } from "./change_owner.ts";
import { checkId, runTool } from "./_fs_helpers.ts";

/**
 * What a space allocator needs to know about the file system. Implement it to
 * give the allocator a fake partition in tests, or a remote one.
 */
export interface FSPlatform {
  /**
   * The mount point of the file system that holds `dir`.
   *
   * @param dir An existing directory.
   * @returns The mount point, e.g. `/var`.
   */
  getMountPoint(dir: string): Promise<string>;
  /**
   * Total size of the partition that holds `dir`.
   *
   * @param dir A path on the partition.
   * @returns Bytes.
   */
  getTotalSize(dir: string): Promise<number>;
  /**
   * Size of a file, or of everything below a directory.
   *
   * @param path A file or directory.
   * @param options Apparent (default) or allocated size.
   * @returns Bytes.
   */
  getDirSize(path: string, options?: CalculateSizeOptions): Promise<number>;
  /**
   * Bytes an unprivileged user may still write on the partition of `dir`.
   *
   * @param dir A path on the partition.
   * @returns Bytes.
   */
  getAvailableSize(dir: string): Promise<number>;
  /**
   * Limits how much `uid` may store on the partition of `path`.
   *
   * @param path A path on the partition.
   * @param uid The user.
   * @param quotaBytes The limit; 0 leaves the quota as it is.
   */
  setUserQuota(path: string, uid: number, quotaBytes: number): Promise<void>;
  /**
   * Changes the owner of `path` and, for a directory, of everything below it.
   *
   * @param path The path.
   * @param uid New owner.
   * @param gid New group.
   */
  changeOwner(path: string, uid: number, gid: number): Promise<void>;
  /**
   * The mount source of the file system that holds `path`.
   *
   * @param path An existing path.
   * @returns The device (`/dev/sda1`) or source name (`tmpfs`, `overlay`).
   */
  getBlockDevice(path: string): Promise<string>;
  /**
   * The block size of the partition that holds `dir`; needed only for
   * block-based accounting.
   *
   * @param dir A path on the partition.
   * @returns Bytes per block.
   */
  getBlockSize?(dir: string): Promise<number>;
}

interface StatFsNumbers {
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  bsize: bigint;
  frsize?: bigint;
}

async function statFs(dir: string, what: string): Promise<StatFsNumbers> {
  try {
    return await statfs(dir, { bigint: true }) as unknown as StatFsNumbers;
  } catch (err) {
    throw AosError.wrap(err, "notFound", `failed to get ${what} of "${dir}"`);
  }
}

// statvfs reports block counts in fragments; Deno and Node both expose
// `frsize`, and on Linux file systems it equals `bsize` anyway.
function fragment(st: StatFsNumbers): bigint {
  return st.frsize !== undefined && st.frsize > 0n ? st.frsize : st.bsize;
}

/**
 * Total size of the partition that holds `dir` (`f_blocks × f_frsize`).
 *
 * @example
 * ```ts
 * import { getAvailableSize, getTotalSize } from "@aoscore/common/utils";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * const total = await getTotalSize(tmpdir());
 * assert.ok(total > 0 && total >= await getAvailableSize(tmpdir()));
 * ```
 *
 * @param dir A path on the partition.
 * @returns Bytes.
 * @throws {AosError} `notFound` "failed to get total size" when `statfs` fails.
 */
export async function getTotalSize(dir: string): Promise<number> {
  const st = await statFs(dir, "total size");
  return Number(st.blocks * fragment(st));
}

/**
 * Bytes an unprivileged user may still write on the partition of `dir`
 * (`f_bavail × f_frsize`: blocks reserved for root are not counted).
 *
 * @example
 * ```ts
 * import { getAvailableSize, getTotalSize } from "@aoscore/common/utils";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * const free = await getAvailableSize(tmpdir());
 * assert.ok(free >= 0 && free <= await getTotalSize(tmpdir()));
 * ```
 *
 * @param dir A path on the partition.
 * @returns Bytes.
 * @throws {AosError} `notFound` "failed to get available size" when `statfs` fails.
 */
export async function getAvailableSize(dir: string): Promise<number> {
  const st = await statFs(dir, "available size");
  return Number(st.bavail * fragment(st));
}

/**
 * Bytes in use on the partition that holds `dir`, as `df` counts them
 * (`(f_blocks − f_bfree) × f_frsize`: blocks reserved for root count as used
 * only when used).
 *
 * @example
 * ```ts
 * import { getTotalSize, getUsedSize } from "@aoscore/common/utils";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * assert.ok(await getUsedSize(tmpdir()) <= await getTotalSize(tmpdir()));
 * ```
 *
 * @param dir A path on the partition.
 * @returns Bytes.
 * @throws {AosError} `notFound` "failed to get used size" when `statfs` fails.
 */
export async function getUsedSize(dir: string): Promise<number> {
  const st = await statFs(dir, "used size");
  return Number((st.blocks - st.bfree) * fragment(st));
}

/**
 * The block size of the partition that holds `dir` (`f_bsize`), the unit in
 * which files occupy space.
 *
 * @example
 * ```ts
 * import { getBlockSize } from "@aoscore/common/utils";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * const block = await getBlockSize(tmpdir());
 * assert.ok(block >= 512 && (block & (block - 1)) === 0, `a power of two, got ${block}`);
 * ```
 *
 * @param dir A path on the partition.
 * @returns Bytes per block.
 * @throws {AosError} `notFound` "failed to get block size" when `statfs` fails.
 */
export async function getBlockSize(dir: string): Promise<number> {
  const st = await statFs(dir, "block size");
  return Number(st.bsize);
}

/** Options of {@linkcode setUserQuota}. */
export interface SetUserQuotaOptions {
  /**
   * The `setquota` program (Debian package `quota`).
   *
   * @default {"setquota"}
   */
  setquota?: string;
}

/**
 * Sets the block hard limit of user `uid` on the partition of `path` to
 * `quotaBytes`, rounded up to whole KiB; the soft limit is set to 0 (none).
 *
 * It runs `setquota -u <uid> 0 <KiB> 0 0 <mount point>`, so the user's inode
 * limits are reset to 0 (unlimited) as well; AosCore sets only block limits
 * and uses no inode limits. The file system must be mounted with user quotas
 * enabled.
 *
 * Needs `--allow-run` on Deno.
 *
 * @example
 * ```ts
 * import { errorIs, setUserQuota } from "@aoscore/common/utils";
 * import { tmpdir } from "node:os";
 * import assert from "node:assert/strict";
 *
 * // A real limit needs a file system mounted with user quotas (and root):
 * //   await setUserQuota("/var/aos/storage", 5001, 64 << 20);
 * await setUserQuota(tmpdir(), 5001, 0); // 0 leaves the quota as it is
 * await assert.rejects(setUserQuota(tmpdir(), -1, 1024), (err) => errorIs(err, "invalidArgument"));
 * ```
 *
 * @param path A path on the partition.
 * @param uid The user.
 * @param quotaBytes The limit; 0 does nothing.
 * @param options Which `setquota` to run.
 * @throws {AosError} `invalidArgument` for a bad uid or size, `notSupported`
 * when `setquota` is not installed, `failed` with its message when it fails,
 * and the errors of {@linkcode getMountPoint}.
 */
export async function setUserQuota(
  path: string,
  uid: number,
  quotaBytes: number,
  options: SetUserQuotaOptions = {},
): Promise<void> {
  checkId(uid, "uid", "set user quota");
  if (!Number.isSafeInteger(quotaBytes) || quotaBytes < 0) {
    throw new AosError(
      "invalidArgument",
      `Cannot set user quota: size must be a non-negative integer, got ${quotaBytes}`,
    );
  }
  if (quotaBytes === 0) return;
  const mountPoint = await getMountPoint(path);
  const kib = Math.ceil(quotaBytes / 1024);
  const tool = options.setquota ?? "setquota";
  await runTool(tool, ["-u", String(uid), "0", String(kib), "0", "0", mountPoint], {
    missing: `Cannot set user quota: "${tool}" is not installed (Debian package "quota")`,
    failed: `Cannot set user quota of uid ${uid} on "${mountPoint}"`,
  });
}

/** Options of {@linkcode LinuxFSPlatform}. */
export interface LinuxFSPlatformOptions extends MountInfoOptions, SetUserQuotaOptions {}

/**
 * The {@linkcode FSPlatform} of a Linux system: the functions of this module
 * bound to one set of options.
 *
 * @example Measure the partition of the temp directory
 * ```ts
 * import { LinuxFSPlatform } from "@aoscore/common/utils";
 * import { tmpdir } from "node:os";
 *
 * const fs = new LinuxFSPlatform();
 * const mountPoint = await fs.getMountPoint(tmpdir());
 * const free = await fs.getAvailableSize(mountPoint);
 * console.log(`${mountPoint}: ${free} bytes free`);
 * ```
 */
export class LinuxFSPlatform implements FSPlatform {
  readonly #options: LinuxFSPlatformOptions;

  /**
   * Creates the platform.
   *
   * @param options Where to read the mount table and which `setquota` to run.
   */
  constructor(options: LinuxFSPlatformOptions = {}) {
    this.#options = { ...options };
  }

  /**
   * {@inheritDoc getMountPoint}
   *
   * @param dir An existing directory.
   * @returns The mount point.
   */
  getMountPoint(dir: string): Promise<string> {
    return getMountPoint(dir, this.#options);
  }

  /**
   * {@inheritDoc getTotalSize}
   *
   * @param dir A path on the partition.
   * @returns Bytes.
   */
  getTotalSize(dir: string): Promise<number> {
    return getTotalSize(dir);
  }

  /**
   * {@inheritDoc calculateSize}
   *
   * @param path A file or directory.
   * @param options Apparent (default) or allocated size.
   * @returns Bytes.
   */
  getDirSize(path: string, options?: CalculateSizeOptions): Promise<number> {
    return calculateSize(path, options);
  }

  /**
   * {@inheritDoc getAvailableSize}
   *
   * @param dir A path on the partition.
   * @returns Bytes.
   */
  getAvailableSize(dir: string): Promise<number> {
    return getAvailableSize(dir);
  }

  /**
   * {@inheritDoc setUserQuota}
   *
   * @param path A path on the partition.
   * @param uid The user.
   * @param quotaBytes The limit; 0 does nothing.
   */
  setUserQuota(path: string, uid: number, quotaBytes: number): Promise<void> {
    return setUserQuota(path, uid, quotaBytes, this.#options);
  }

  /**
   * {@inheritDoc changeOwner}
   *
   * @param path The path.
   * @param uid New owner.
   * @param gid New group.
   */
  changeOwner(path: string, uid: number, gid: number): Promise<void> {
    return changeOwner(path, uid, gid);
  }

  /**
   * {@inheritDoc getBlockDevice}
   *
   * @param path An existing path.
   * @returns The mount source.
   */
  getBlockDevice(path: string): Promise<string> {
    return getBlockDevice(path, this.#options);
  }

  /**
   * {@inheritDoc getBlockSize}
   *
   * @param dir A path on the partition.
   * @returns Bytes per block.
   */
  getBlockSize(dir: string): Promise<number> {
    return getBlockSize(dir);
  }
}
