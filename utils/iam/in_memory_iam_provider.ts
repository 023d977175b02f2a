// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * An IAM that keeps everything in memory: certificates, this node's and the
 * other nodes' information, the unit's identity and subjects, and instance
 * permissions. For tests, demos and small set-ups without an IAM service.
 *
 * @module
 */

import { toHex } from "../encoding.ts";
import { AosError } from "../errors.ts";
import { type InstanceIdent, instanceIdentEquals } from "../instances.ts";
import type { NodeInfo } from "../node_info.ts";
import { ListenerSet } from "../_listeners.ts";
import type {
  CertInfo,
  CertListener,
  CertProvider,
  CurrentNodeInfoListener,
  CurrentNodeInfoProvider,
  FunctionServicePermissions,
  IdentProvider,
  InstancePermissions,
  NodeHandler,
  NodeInfoListener,
  NodeInfoProvider,
  PermHandler,
  PermProvider,
  SubjectsListener,
  SystemInfo,
} from "./types.ts";

/** Options of the {@linkcode InMemoryIamProvider} constructor. */
export interface InMemoryIamProviderOptions {
  /** This node. */
  nodeInfo: NodeInfo;
  /**
   * The other nodes of the unit.
   *
   * @default {[]}
   */
  nodes?: NodeInfo[];
  /**
   * The unit's identity.
   *
   * @default {{ systemId: "", unitModel: "", version: "" }}
   */
  systemInfo?: SystemInfo;
  /**
   * The unit's subjects.
   *
   * @default {[]}
   */
  subjects?: string[];
  /**
   * Installed certificates.
   *
   * @default {[]}
   */
  certs?: CertInfo[];
  /**
   * Receives what listeners throw or reject with.
   * @default {Rethrows it asynchronously (an unhandled error).}
   */
  onError?: (err: unknown) => void;
}

interface Registration {
  ident: InstanceIdent;
  secret: string;
  permissions: FunctionServicePermissions[];
}

/**
 * The IAM interfaces over in-memory state. Each interface is a property
 * (`certProvider`, `currentNodeInfoProvider`, ...), since several of them
 * name their methods alike; the `set*` methods change the state and tell the
 * listeners, as an IAM service would.
 *
 * @example
 * ```ts
 * import { InMemoryIamProvider } from "@aoscore/common/utils/iam";
 * import assert from "node:assert/strict";
 *
 * const iam = new InMemoryIamProvider({
 *   nodeInfo: {
 *     nodeId: "main", nodeType: "main", title: "Main", maxDMIPS: 10_000, totalRAM: 8 << 30,
 *     osInfo: { os: "linux", features: [] }, cpus: [], partitions: [], attrs: [],
 *     state: "provisioned", isConnected: true,
 *   },
 * });
 * const changes: number[] = [];
 * using _ = iam.currentNodeInfoProvider.subscribeListener({
 *   onCurrentNodeInfoChanged: (info) => changes.push(info.maxDMIPS),
 * });
 * iam.setNodeInfo({ ...await iam.currentNodeInfoProvider.getCurrentNodeInfo(), maxDMIPS: 12_000 });
 * assert.deepEqual(changes, [12_000]);
 * ```
 */
export class InMemoryIamProvider {
  /** Certificates by type. */
  readonly certProvider: CertProvider;
  /** This node's information. */
  readonly currentNodeInfoProvider: CurrentNodeInfoProvider;
  /** Every node's information. */
  readonly nodeInfoProvider: NodeInfoProvider;
  /** Pauses and resumes nodes (their state becomes `paused` or `provisioned`). */
  readonly nodeHandler: NodeHandler;
  /** The unit's identity and subjects. */
  readonly identProvider: IdentProvider;
  /** Registers instances with their permissions. */
  readonly permHandler: PermHandler;
  /** Tells functional services what an instance may do. */
  readonly permProvider: PermProvider;

  readonly #currentNodeId: string;
  readonly #nodes = new Map<string, NodeInfo>();
  #systemInfo: SystemInfo;
  #subjects: string[];
  readonly #certs: CertInfo[];
  readonly #registrations: Registration[] = [];
  readonly #certListeners: ListenerSet<CertListener>;
  readonly #certTypes = new Map<CertListener, string>();
  readonly #currentNodeListeners: ListenerSet<CurrentNodeInfoListener>;
  readonly #nodeListeners: ListenerSet<NodeInfoListener>;
  readonly #subjectListeners: ListenerSet<SubjectsListener>;

  /**
   * Creates the provider.
   *
   * @param options This node, the other nodes, identity, subjects, certificates.
   */
  constructor(options: InMemoryIamProviderOptions) {
    const onError = options.onError ?? ((err: unknown) =>
      queueMicrotask(() => {
        throw err;
      }));
    this.#certListeners = new ListenerSet("certificate", onError);
    this.#currentNodeListeners = new ListenerSet("current node info", onError);
    this.#nodeListeners = new ListenerSet("node info", onError);
    this.#subjectListeners = new ListenerSet("subjects", onError);
    this.#currentNodeId = options.nodeInfo.nodeId;
    for (const node of [options.nodeInfo, ...(options.nodes ?? [])]) {
      this.#nodes.set(node.nodeId, structuredClone(node));
    }
    this.#systemInfo = { systemId: "", unitModel: "", version: "", ...options.systemInfo };
    this.#subjects = [...(options.subjects ?? [])];
    this.#certs = (options.certs ?? []).map((c) => structuredClone(c));

    this.certProvider = {
      getCert: (certType, issuer, serial) =>
        this.#call(() => this.#getCert(certType, issuer, serial)),
      subscribeListener: (certType, listener) => {
        const handle = this.#certListeners.add(listener);
        this.#certTypes.set(listener, certType);
        return {
          [Symbol.dispose]: () => {
            handle[Symbol.dispose]();
            this.#certTypes.delete(listener);
          },
        };
      },
      unsubscribeListener: (listener) => {
        this.#certListeners.delete(listener);
        this.#certTypes.delete(listener);
      },
    };
    this.currentNodeInfoProvider = {
      getCurrentNodeInfo: () => this.#call(() => this.#node(this.#currentNodeId)),
      subscribeListener: (listener) => this.#currentNodeListeners.add(listener),
      unsubscribeListener: (listener) => this.#currentNodeListeners.delete(listener),
    };
    this.nodeInfoProvider = {
      getAllNodeIds: () => this.#call(() => [...this.#nodes.keys()]),
      getNodeInfo: (nodeId) => this.#call(() => this.#node(nodeId)),
      subscribeListener: (listener) => this.#nodeListeners.add(listener),
      unsubscribeListener: (listener) => this.#nodeListeners.delete(listener),
    };
    this.nodeHandler = {
      pauseNode: (nodeId) => this.#call(() => this.#setState(nodeId, "paused")),
      resumeNode: (nodeId) => this.#call(() => this.#setState(nodeId, "provisioned")),
    };
    this.identProvider = {
      getSystemInfo: () => this.#call(() => ({ ...this.#systemInfo })),
      getSubjects: () => this.#call(() => [...this.#subjects]),
      subscribeListener: (listener) => this.#subjectListeners.add(listener),
      unsubscribeListener: (listener) => this.#subjectListeners.delete(listener),
    };
    this.permHandler = {
      registerInstance: (ident, permissions) =>
        this.#call(() => this.#register(ident, permissions)),
      unregisterInstance: (ident) => this.#call(() => this.#unregister(ident)),
    };
    this.permProvider = {
      getPermissions: (secret, funcServerId) =>
        this.#call(() => this.#getPermissions(secret, funcServerId)),
    };
  }

  /**
   * Installs a certificate (replacing the one of the same type, issuer and
   * serial) and tells the listeners of its type.
   *
   * @param info The certificate.
   */
  setCert(info: CertInfo): void {
    const copy = structuredClone(info);
    const same = this.#certs.findIndex((c) =>
      c.certType === info.certType && bytesEqual(c.issuer, info.issuer) &&
      bytesEqual(c.serial, info.serial)
    );
    if (same >= 0) this.#certs[same] = copy;
    else this.#certs.push(copy);
    this.#certListeners.notify((listener) => {
      if (this.#certTypes.get(listener) === info.certType) {
        listener.onCertChanged(structuredClone(copy));
      }
    });
  }

  /**
   * Adds or replaces a node's information and tells the node info listeners
   * (and the current node info listeners when it is this node).
   *
   * @param info The node's information.
   */
  setNodeInfo(info: NodeInfo): void {
    this.#nodes.set(info.nodeId, structuredClone(info));
    this.#nodeListeners.notify((l) => l.onNodeInfoChanged(structuredClone(info)));
    if (info.nodeId === this.#currentNodeId) {
      this.#currentNodeListeners.notify((l) => l.onCurrentNodeInfoChanged(structuredClone(info)));
    }
  }

  /**
   * Replaces the unit's subjects and tells the listeners.
   *
   * @param subjects The new subjects.
   */
  setSubjects(subjects: string[]): void {
    this.#subjects = [...subjects];
    this.#subjectListeners.notify((l) => l.subjectsChanged([...subjects]));
  }

  /**
   * Replaces the unit's identity.
   *
   * @param info The new identity.
   */
  setSystemInfo(info: SystemInfo): void {
    this.#systemInfo = { ...info };
  }

  #call<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #getCert(certType: string, issuer?: Uint8Array, serial?: Uint8Array): CertInfo {
    const ofType = this.#certs.filter((c) => c.certType === certType);
    let found: CertInfo | undefined;
    if (serial === undefined || serial.length === 0) {
      for (const cert of ofType) {
        if (found === undefined || cert.notAfter > found.notAfter) found = cert;
      }
    } else {
      found = ofType.find((c) =>
        bytesEqual(c.serial, serial) && (issuer === undefined || bytesEqual(c.issuer, issuer))
      );
    }
    if (found === undefined) {
      const which = serial?.length ? ` with serial ${toHex(serial)}` : "";
      throw new AosError("notFound", `no ${certType} certificate${which}`);
    }
    return structuredClone(found);
  }

  #node(nodeId: string): NodeInfo {
    const node = this.#nodes.get(nodeId);
    if (node === undefined) throw new AosError("notFound", `unknown node "${nodeId}"`);
    return structuredClone(node);
  }

  #setState(nodeId: string, state: NodeInfo["state"]): void {
    this.setNodeInfo({ ...this.#node(nodeId), state });
  }

  #register(ident: InstanceIdent, permissions: FunctionServicePermissions[]): string {
    const copy = structuredClone(permissions);
    const known = this.#registrations.find((r) => instanceIdentEquals(r.ident, ident));
    if (known !== undefined) {
      known.permissions = copy;
      return known.secret;
    }
    const secret = toHex(crypto.getRandomValues(new Uint8Array(16)));
    this.#registrations.push({ ident: { ...ident }, secret, permissions: copy });
    return secret;
  }

  #unregister(ident: InstanceIdent): void {
    const index = this.#registrations.findIndex((r) => instanceIdentEquals(r.ident, ident));
    if (index < 0) throw new AosError("notFound", "instance is not registered");
    this.#registrations.splice(index, 1);
  }

  #getPermissions(secret: string, funcServerId: string): InstancePermissions {
    const registration = this.#registrations.find((r) => r.secret === secret);
    if (registration === undefined) throw new AosError("notFound", "unknown instance secret");
    const service = registration.permissions.find((p) => p.name === funcServerId);
    if (service === undefined) {
      throw new AosError("notFound", `no permissions on functional service "${funcServerId}"`);
    }
    return {
      instanceIdent: { ...registration.ident },
      permissions: structuredClone(service.permissions),
    };
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
