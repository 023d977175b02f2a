// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Partition-aware disk space budgets with eviction of outdated items.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
