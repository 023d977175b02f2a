// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Keys and certificate chains by AosCore URL (`pkcs11:token=…;object=…;id=…?…`),
 * as AosCore's certificate loader opens them.
 *
 * @module
 */

import { AosError, errorIs } from "../errors.ts";
import type { Pkcs11Library } from "./library.ts";
import type { Pkcs11Manager } from "./manager.ts";
import { type Pkcs11KeyPair, Pkcs11Utils } from "./pkcs11_utils.ts";
import { resolvePkcs11Url } from "./uri.ts";

async function openByUrl(
  manager: Pkcs11Manager,
  url: string,
): Promise<{ utils: Pkcs11Utils; label: string; id: Uint8Array }> {
  const resolved = await resolvePkcs11Url(url);
  const library = await manager.openLibrary(resolved.modulePath);
  try {
    const slot = resolved.token === ""
      ? await firstSlot(library)
      : await library.findSlotByTokenLabel(resolved.token);
    const session = await library.openSession(slot);
    if (resolved.pin !== "") {
      await session.login("user", resolved.pin).catch((err) => {
        if (!errorIs(err, "alreadyLoggedIn")) throw err;
      });
    }
    return { utils: new Pkcs11Utils(session), label: resolved.label, id: resolved.id };
  } catch (err) {
    await library.finalize();
    throw err;
  }
}

async function firstSlot(library: Pkcs11Library): Promise<bigint> {
  const [slot] = await library.getSlotList(true);
  if (slot === undefined) throw new AosError("notFound", `No token in "${library.path}"`);
  return slot;
}

/**
 * Opens the key pair a URL names: module (`module-path`, SoftHSM's by
 * default), token by label (the first token when the URL names none), user
 * login with the URL's PIN (an existing login is fine), then the key by `id`
 * and `object`. The library handle stays open for the key's session until
 * `manager.close()`.
 *
 * @example
 * ```ts ignore
 * import { loadPrivateKeyByUrl, Pkcs11Manager } from "@aoscore/common/utils/pkcs11";
 *
 * await using manager = new Pkcs11Manager();
 * const { key } = await loadPrivateKeyByUrl(
 *   manager,
 *   "pkcs11:token=aoscore;object=iam;id=%08%08?pin-source=/var/aos/iam/pin",
 * );
 * ```
 *
 * @param manager The manager that opens the module.
 * @param url The key URL.
 * @returns The key pair.
 * @throws {AosError} as {@linkcode resolvePkcs11Url}, `notFound` for a missing
 * token or key, a `Pkcs11Error` for a wrong PIN.
 */
export async function loadPrivateKeyByUrl(
  manager: Pkcs11Manager,
  url: string,
): Promise<Pkcs11KeyPair> {
  const { utils, label, id } = await openByUrl(manager, url);
  return await utils.findPrivateKey(id, label);
}

/**
 * Reads the certificate chain a URL names (by `id` and `object`), leaf first,
 * as {@linkcode Pkcs11Utils.findCertificateChain} builds it.
 *
 * @example The chain of a certificate provisioned on a token (the module example makes a throwaway SoftHSM2 token)
 * ```ts ignore
 * import { loadCertificateChainByUrl, Pkcs11Manager } from "@aoscore/common/utils/pkcs11";
 * import { parseCertificate } from "@aoscore/common/utils/crypto";
 *
 * await using manager = new Pkcs11Manager();
 * const chain = await loadCertificateChainByUrl(
 *   manager,
 *   "pkcs11:token=aoscore;object=iam;id=%08%08?pin-source=/var/aos/iam/pin",
 * );
 * const [leaf, ...issuers] = chain.map((der) => parseCertificate(der));
 * ```
 *
 * @param manager The manager that opens the module.
 * @param url The certificate URL.
 * @returns The DER certificates.
 * @throws {AosError} as {@linkcode loadPrivateKeyByUrl}.
 */
export async function loadCertificateChainByUrl(
  manager: Pkcs11Manager,
  url: string,
): Promise<Uint8Array[]> {
  const { utils, label, id } = await openByUrl(manager, url);
  try {
    return await utils.findCertificateChain(id, label);
  } finally {
    await utils.session.close();
  }
}
