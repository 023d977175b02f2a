// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * The IAM client interfaces AosCore components depend on: certificates,
 * identity, node information and control, permissions and provisioning.
 * Implement them over the IAM gRPC API, or use
 * {@linkcode InMemoryIamProvider} in tests and small set-ups.
 *
 * Subscriptions follow one rule set: the same listener twice is
 * `alreadyExist`, removing an unknown one is `notFound`, listeners are told
 * in subscription order and are not told the current state when they
 * subscribe.
 *
 * @module
 */

import type { InstanceIdent } from "../instances.ts";
import type { NodeInfo } from "../node_info.ts";

/** Where a certificate and its key are, as IAM reports them. */
export interface CertInfo {
  /** Certificate type (`online`, `offline`, `sm`, `cm`, `iam`, ...). */
  certType: string;
  /** Issuer as DER `Name` bytes. */
  issuer: Uint8Array;
  /** Serial number, big-endian unsigned bytes. */
  serial: Uint8Array;
  /** URL of the certificate chain (`file:` PEM or `pkcs11:`). */
  certUrl: string;
  /** URL of the private key (`file:` PEM or `pkcs11:`). */
  keyUrl: string;
  /** End of validity. */
  notAfter: Date;
}

/** Told when a certificate of the type it subscribed to changes. */
export interface CertListener {
  /**
   * A new certificate of the type is in place.
   *
   * @param info The new certificate.
   */
  onCertChanged(info: CertInfo): void;
}

/** Gives the node's certificates and tells listeners when one changes. */
export interface CertProvider {
  /**
   * Finds a certificate.
   *
   * @param certType The certificate type.
   * @param issuer With `serial`: the issuer (DER `Name`) of the wanted certificate.
   * @param serial The serial of the wanted certificate; absent or empty asks for the
   *   certificate of the type with the latest `notAfter`.
   * @returns The certificate.
   * @throws {AosError} `notFound` when no certificate matches.
   */
  getCert(certType: string, issuer?: Uint8Array, serial?: Uint8Array): Promise<CertInfo>;
  /**
   * Adds a listener for one certificate type.
   *
   * @param certType The certificate type.
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(certType: string, listener: CertListener): Disposable;
  /**
   * Removes a listener from every type it listens to.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: CertListener): void;
}

/** Creates keys and installs certificates (IAM's certificate handler). */
export interface CertHandler {
  /**
   * Creates a key pair for a certificate type.
   *
   * @param nodeId The node.
   * @param certType The certificate type.
   * @param subject The subject of the request.
   * @param password The key store password.
   * @returns The certificate signing request, PEM.
   */
  createKey(nodeId: string, certType: string, subject: string, password: string): Promise<string>;
  /**
   * Installs an issued certificate.
   *
   * @param nodeId The node.
   * @param certType The certificate type.
   * @param pemCert The certificate chain, PEM.
   * @returns The installed certificate.
   */
  applyCert(nodeId: string, certType: string, pemCert: string): Promise<CertInfo>;
}

/** Told when the information of this node changes. */
export interface CurrentNodeInfoListener {
  /**
   * This node's information changed.
   *
   * @param info The new information.
   */
  onCurrentNodeInfoChanged(info: NodeInfo): void;
}

/** Gives the information of the node this program runs on. */
export interface CurrentNodeInfoProvider {
  /**
   * This node's information.
   *
   * @returns The information.
   */
  getCurrentNodeInfo(): Promise<NodeInfo>;
  /**
   * Adds a listener.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(listener: CurrentNodeInfoListener): Disposable;
  /**
   * Removes a listener.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: CurrentNodeInfoListener): void;
}

/** The unit's identity. */
export interface SystemInfo {
  /** System (unit) ID. */
  systemId: string;
  /** Unit model. */
  unitModel: string;
  /** Unit model version. */
  version: string;
}

/** Told when the unit's subjects change. */
export interface SubjectsListener {
  /**
   * The subjects changed.
   *
   * @param subjects The new subjects.
   */
  subjectsChanged(subjects: string[]): void;
}

/** Gives the unit's identity and subjects. */
export interface IdentProvider {
  /**
   * The unit's identity.
   *
   * @returns System ID, model and version.
   */
  getSystemInfo(): Promise<SystemInfo>;
  /**
   * The unit's subjects.
   *
   * @returns Subject IDs.
   */
  getSubjects(): Promise<string[]>;
  /**
   * Adds a listener.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(listener: SubjectsListener): Disposable;
  /**
   * Removes a listener.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: SubjectsListener): void;
}

/** Pauses and resumes nodes. */
export interface NodeHandler {
  /**
   * Pauses a node.
   *
   * @param nodeId The node.
   * @throws {AosError} `notFound` for an unknown node.
   */
  pauseNode(nodeId: string): Promise<void>;
  /**
   * Resumes a paused node.
   *
   * @param nodeId The node.
   * @throws {AosError} `notFound` for an unknown node.
   */
  resumeNode(nodeId: string): Promise<void>;
}

/** Told when the information of any node changes. */
export interface NodeInfoListener {
  /**
   * A node's information changed.
   *
   * @param info The node's new information.
   */
  onNodeInfoChanged(info: NodeInfo): void;
}

/** Gives the information of every node of the unit. */
export interface NodeInfoProvider {
  /**
   * The IDs of all nodes.
   *
   * @returns Node IDs.
   */
  getAllNodeIds(): Promise<string[]>;
  /**
   * One node's information.
   *
   * @param nodeId The node.
   * @returns The information.
   * @throws {AosError} `notFound` for an unknown node.
   */
  getNodeInfo(nodeId: string): Promise<NodeInfo>;
  /**
   * Adds a listener.
   *
   * @param listener The listener.
   * @returns A handle whose disposal unsubscribes.
   * @throws {AosError} `alreadyExist` when the listener is subscribed already.
   */
  subscribeListener(listener: NodeInfoListener): Disposable;
  /**
   * Removes a listener.
   *
   * @param listener The listener.
   * @throws {AosError} `notFound` when the listener is not subscribed.
   */
  unsubscribeListener(listener: NodeInfoListener): void;
}

/** What one function of a service may do. */
export interface FunctionPermissions {
  /** The function (≤ 32 bytes). */
  function: string;
  /** Its permissions, such as `rw` (≤ 32 bytes). */
  permissions: string;
}

/** The permissions an instance has on one functional service. */
export interface FunctionServicePermissions {
  /** The functional service (≤ 32 bytes). */
  name: string;
  /** Permissions per function. */
  permissions: FunctionPermissions[];
}

/** Registers instances with their permissions (IAM's permission handler). */
export interface PermHandler {
  /**
   * Registers an instance, or replaces the permissions of a registered one.
   *
   * @param ident The instance.
   * @param permissions Its permissions per functional service.
   * @returns The secret the instance presents to functional services (≤ 64 chars).
   */
  registerInstance(
    ident: InstanceIdent,
    permissions: FunctionServicePermissions[],
  ): Promise<string>;
  /**
   * Forgets an instance and its secret.
   *
   * @param ident The instance.
   * @throws {AosError} `notFound` when it is not registered.
   */
  unregisterInstance(ident: InstanceIdent): Promise<void>;
}

/** What {@linkcode PermProvider.getPermissions} finds. */
export interface InstancePermissions {
  /** The instance the secret belongs to. */
  instanceIdent: InstanceIdent;
  /** Its permissions on the functional service. */
  permissions: FunctionPermissions[];
}

/** Tells functional services what an instance may do. */
export interface PermProvider {
  /**
   * The permissions of the instance that holds `secret` on a functional service.
   *
   * @param secret The secret the instance presented.
   * @param funcServerId The functional service.
   * @returns The instance and its permissions.
   * @throws {AosError} `notFound` for an unknown secret or a service the instance has no
   *   permissions on.
   */
  getPermissions(secret: string, funcServerId: string): Promise<InstancePermissions>;
}

/** Provisions and deprovisions nodes. */
export interface Provisioning {
  /**
   * The certificate types a node needs.
   *
   * @param nodeId The node.
   * @returns Certificate types.
   */
  getCertTypes(nodeId: string): Promise<string[]>;
  /**
   * Starts provisioning a node.
   *
   * @param nodeId The node.
   * @param password The provisioning password.
   */
  startProvisioning(nodeId: string, password: string): Promise<void>;
  /**
   * Finishes provisioning a node.
   *
   * @param nodeId The node.
   * @param password The provisioning password.
   */
  finishProvisioning(nodeId: string, password: string): Promise<void>;
  /**
   * Deprovisions a node.
   *
   * @param nodeId The node.
   * @param password The provisioning password.
   */
  deprovision(nodeId: string, password: string): Promise<void>;
}
