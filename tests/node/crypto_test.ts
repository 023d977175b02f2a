// Copyright 2026 the aos-common authors. Apache-2.0 license.
// The portable crypto and PKCS#11 URI suites, run under Node's test runner.
import "./_deno_test_shim.ts";
import "../utils/crypto/encoding_test.ts";
import "../utils/crypto/keys_test.ts";
import "../utils/crypto/x509_test.ts";
import "../utils/pkcs11/uri_test.ts";
