// Copyright 2026 the aos-common authors. Apache-2.0 license.
import { AosError } from "../utils/errors.ts";
import { MigrationError } from "./migration_error.ts";

// A file system error as a `runtime` MigrationError that keeps its errno.
export function ioError(cause: unknown, message: string, script?: string): MigrationError {
  const errno = AosError.from(cause).errno;
  return new MigrationError("runtime", message, {
    cause,
    ...(errno === undefined ? {} : { errno }),
    ...(script === undefined ? {} : { script }),
  });
}
