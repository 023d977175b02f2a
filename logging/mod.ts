// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Log archiving: compress, split into size-limited parts, hand to a sender.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
