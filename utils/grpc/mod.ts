// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * gRPC channel helpers, certificate-rotation listener and subscription manager.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
