// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Wire codec for every JSON message between a unit and AosCloud.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
