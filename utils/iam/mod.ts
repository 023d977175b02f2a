// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * IAM client interfaces: certificates, identity, nodes and permissions.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
