// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Named network namespaces in iproute2's layout: AosCore's namespace manager.
 *
 * @module
 */

import { cString, errno, libc } from "../utils/_libc.ts";
import { invalidArgument, NetworkError, type NetworkErrorContext } from "./errors.ts";
import { IFF_UP, IFLA_IFNAME, RTM_SETLINK } from "./_netlink/constants.ts";
import { linkHeader } from "./_netlink/links.ts";
import { inNewNetns, THREAD_NETNS } from "./_netlink/netns.ts";
import { RouteSocket } from "./_netlink/socket.ts";
import { settle } from "./_settle.ts";

/** Where iproute2 keeps named namespaces; `ip netns` lists what is here. */
export const NETNS_RUN_DIR = "/run/netns";

const O_RDONLY = 0;
const O_CREAT = 0x40;
const O_EXCL = 0x80;
const O_CLOEXEC = 0x80000;
const MS_BIND = 4096n;
const MS_REC = 0x4000n;
const MS_SHARED = 0x100000n;
const MNT_DETACH = 2;
const EINVAL = 22;
const EEXIST = 17;
const NAME_MAX = 255;

/** Options of {@linkcode NamespaceManager}. */
export interface NamespaceManagerOptions {
  /**
   * The directory of the namespace files.
   *
   * @default {"/run/netns"}
   */
  runDir?: string;
}

/**
 * Creates, lists, tests and deletes named network namespaces: a file under
 * `/run/netns` with the namespace bind-mounted on it, as `ip netns add` makes
 * them, so `ip netns` sees ours and we see its. Like iproute2, the directory
 * is made a shared mount so the namespaces propagate into other mount
 * namespaces. The process never leaves its own namespace for longer than the
 * synchronous calls that create one.
 *
 * Needs `--allow-ffi`, `--allow-read`, `--allow-write` and root
 * (`CAP_SYS_ADMIN`).
 *
 * @example Create a namespace and work inside it (needs root: covered by tests/network/namespace_manager_test.ts)
 * ```ts ignore
 * import { InterfaceManager, NamespaceManager } from "@aoscore/common/network";
 *
 * const namespaces = new NamespaceManager();
 * await namespaces.createNetworkNamespace("instance-1");
 * using links = new InterfaceManager({ netnsPath: namespaces.getNetworkNamespacePath("instance-1") });
 * console.log(await links.listLinks()); // lo, up
 * await namespaces.deleteNetworkNamespace("instance-1");
 * ```
 */
export class NamespaceManager {
  readonly #runDir: string;
  #shared = false;

  /**
   * Creates a manager. Nothing is touched until the first call.
   *
   * @param options The directory of the namespace files.
   */
  constructor(options: NamespaceManagerOptions = {}) {
    this.#runDir = options.runDir ?? NETNS_RUN_DIR;
  }

  /**
   * The path of a namespace's file, whether it exists or not.
   *
   * @param name The namespace name (AosCore uses the instance ID).
   * @returns `/run/netns/<name>`.
   * @throws {NetworkError} `invalidArgument` for a bad name.
   */
  getNetworkNamespacePath(name: string): string {
    checkName(name, { operation: "getNetworkNamespacePath", interface: name });
    return `${this.#runDir}/${name}`;
  }

  /**
   * Creates a namespace with `lo` up. An existing namespace is fine.
   *
   * @param name The namespace name.
   * @throws {NetworkError} `invalidArgument` for a bad name; `failed` with the errno otherwise.
   */
  createNetworkNamespace(name: string): Promise<void> {
    const context = { operation: "createNetworkNamespace", interface: name };
    return settle(() => {
      const path = this.#path(name, context);
      this.#prepareRunDir(context);
      const c = libc();
      const fd = c.open(cString(path, "path"), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444);
      if (fd < 0) {
        const code = errno();
        if (code === EEXIST) return;
        throw NetworkError.forErrno(code, context, { what: `failed to create ${path}` });
      }
      c.close(fd);
      let mounted = false;
      try {
        inNewNetns(context, () => {
          if (c.mount(cString(THREAD_NETNS), cString(path), cString("none"), MS_BIND, null) !== 0) {
            throw NetworkError.forErrno(errno(), context, { what: `failed to mount ${path}` });
          }
          mounted = true;
          const socket = RouteSocket.open(context);
          try {
            linkHeader(socket.writer.begin(RTM_SETLINK, 0), { flags: IFF_UP, change: IFF_UP })
              .attrString(IFLA_IFNAME, "lo");
            socket.ack({ ...context, operation: "createNetworkNamespace: lo up" });
          } finally {
            socket.close();
          }
        });
      } catch (err) {
        if (mounted) c.umount2(cString(path), MNT_DETACH);
        Deno.removeSync(path);
        throw err;
      }
    });
  }

  /**
   * Reports whether a namespace file exists.
   *
   * @param name The namespace name.
   * @returns `true` when `/run/netns/<name>` exists.
   * @throws {NetworkError} `invalidArgument` for a bad name; `failed` when it cannot be checked.
   */
  isNetworkNamespaceExist(name: string): Promise<boolean> {
    const context = { operation: "isNetworkNamespaceExist", interface: name };
    return settle(() => exists(this.#path(name, context), context));
  }

  /**
   * The names of the namespaces under `/run/netns`, sorted.
   *
   * @returns The names; none when the directory does not exist.
   */
  listNetworkNamespaces(): Promise<string[]> {
    return settle(() => {
      try {
        return [...Deno.readDirSync(this.#runDir)].map((e) => e.name).sort();
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) return [];
        throw new NetworkError("failed", { operation: "listNetworkNamespaces" }, String(err), {
          cause: err,
        });
      }
    });
  }

  /**
   * Deletes a namespace: unmounts and removes its file. Its links go with it
   * once nothing else holds it (a process inside, an open socket). A missing
   * namespace is fine.
   *
   * @param name The namespace name.
   * @throws {NetworkError} `invalidArgument` for a bad name; `failed` "failed to
   * unmount namespace" or "failed to remove namespace file".
   */
  deleteNetworkNamespace(name: string): Promise<void> {
    const context = { operation: "deleteNetworkNamespace", interface: name };
    return settle(() => {
      const path = this.#path(name, context);
      if (!exists(path, context)) return;
      // EINVAL: not a mount point (a half-made namespace); removing the file is enough.
      if (libc().umount2(cString(path), MNT_DETACH) !== 0) {
        const code = errno();
        if (code !== EINVAL) {
          throw NetworkError.forErrno(code, context, { what: "failed to unmount namespace" });
        }
      }
      try {
        Deno.removeSync(path);
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) return;
        throw new NetworkError("failed", context, "failed to remove namespace file", {
          cause: err,
        });
      }
    });
  }

  #path(name: string, context: NetworkErrorContext): string {
    checkName(name, context);
    return `${this.#runDir}/${name}`;
  }

  /** Creates the directory and makes it a shared mount, as `ip netns add` does. */
  #prepareRunDir(context: NetworkErrorContext): void {
    if (this.#shared) return;
    Deno.mkdirSync(this.#runDir, { recursive: true, mode: 0o755 });
    const c = libc();
    const dir = cString(this.#runDir, "path");
    const none = cString("none");
    const empty = cString("");
    let bound = false;
    while (c.mount(empty, dir, none, MS_SHARED | MS_REC, null) !== 0) {
      const code = errno();
      // EINVAL: not a mount point yet; bind it onto itself first.
      if (code !== EINVAL || bound) {
        throw NetworkError.forErrno(code, context, { what: `failed to share ${this.#runDir}` });
      }
      if (c.mount(dir, dir, none, MS_BIND | MS_REC, null) !== 0) {
        throw NetworkError.forErrno(errno(), context, { what: `failed to bind ${this.#runDir}` });
      }
      bound = true;
    }
    this.#shared = true;
  }
}

function checkName(name: string, context: NetworkErrorContext): void {
  if (
    typeof name !== "string" || name === "" || name === "." || name === ".." ||
    name.includes("/") || name.includes("\0") || new TextEncoder().encode(name).length > NAME_MAX
  ) {
    throw invalidArgument(
      { ...context, interface: String(name) },
      "bad namespace name: it must be 1..255 bytes, without '/' or NUL, and not '.' or '..'",
    );
  }
}

function exists(path: string, context: NetworkErrorContext): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw new NetworkError("failed", context, `cannot check ${path}`, { cause: err });
  }
}
