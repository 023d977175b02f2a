// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Bridges, veth, VLANs, addresses, namespaces, traffic control, iptables and IP maths.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
