// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Versioned SQLite schema migration, up and down.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
