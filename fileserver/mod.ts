// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * HTTP file server that lets components fetch each other's files.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
