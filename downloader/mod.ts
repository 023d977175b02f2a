// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * HTTP(S) and `file://` downloads with retry, resume, progress and cancel.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
