// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * {@linkcode AosTime}, the protocol's timestamp. It is the timestamp model of
 * the whole collection and lives in `utils`; it is exported here too, so a
 * user of the cloud protocol needs one import.
 *
 * @module
 */

export { AosTime } from "../utils/time.ts";
