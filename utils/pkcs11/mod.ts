// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * PKCS#11 URIs and the Cryptoki binding.
 *
 * Not implemented yet: this module exports nothing until its issue lands.
 *
 * @module
 */
export {};
