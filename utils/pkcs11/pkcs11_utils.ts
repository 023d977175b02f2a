// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Object-level helpers on one session: key pairs and certificates as AosCore
 * keeps them in a token.
 *
 * @module
 */

import * as asn1js from "asn1js";
import { AosError, errorIs } from "../errors.ts";
import { type Certificate, parseCertificate } from "../crypto/certificate.ts";
import { curveOid, ecCurveOf, type PublicKey } from "../crypto/keys.ts";
import { toHex } from "../encoding.ts";
import {
  bytesEqual,
  der,
  oidContent,
  oidFromContent,
  readDer,
  unsignedBytes,
  unsignedInteger,
} from "../crypto/_asn1.ts";
import { CKA, CKC, CKK, CKM, CKO } from "./constants.ts";
import {
  booleanAttribute,
  readUlongAttribute,
  textAttribute,
  ulongAttribute,
} from "./attributes.ts";
import { type Pkcs11KeyIdentity, Pkcs11PrivateKey } from "./private_key.ts";
import type { Pkcs11Session } from "./session.ts";
import type { Attribute } from "./types.ts";

/** A key pair in a token. */
export interface Pkcs11KeyPair {
  /** The private key object. */
  privateHandle: bigint;
  /** The public key object. */
  publicHandle: bigint;
  /** The private key, ready to sign and decrypt through the session. */
  key: Pkcs11PrivateKey;
}

/** The curves {@linkcode Pkcs11Utils.generateEcdsaKeyPair} makes keys on. */
export type Pkcs11Curve = "P-256" | "P-384";

const MAX_OBJECTS = 20;

function bytes(type: bigint, value: Uint8Array): Attribute {
  return { type, value };
}

const label = textAttribute;

/**
 * Key pairs and certificates on one session, as AosCore's IAM keeps them:
 * token objects found by `CKA_ID` and `CKA_LABEL` (an empty label matches
 * only objects with an empty label).
 *
 * @example
 * ```ts ignore
 * import { Pkcs11Manager, Pkcs11Utils } from "@aoscore/common/utils/pkcs11";
 * import { createCsr } from "@aoscore/common/utils/crypto";
 *
 * await using manager = new Pkcs11Manager();
 * const library = await manager.openLibrary("/usr/lib/softhsm/libsofthsm2.so");
 * const session = await library.openSession(await library.findSlotByTokenLabel("aoscore"));
 * await session.login("user", "1234");
 * const utils = new Pkcs11Utils(session);
 * const { key } = await utils.generateEcdsaKeyPair(new Uint8Array([1]), "iam", "P-384");
 * const csr = await createCsr({ subject: "CN=unit" }, key);
 * ```
 */
export class Pkcs11Utils {
  /** The session every helper works through. */
  readonly session: Pkcs11Session;

  /**
   * Binds the helpers to a session (logged in as user for private objects).
   *
   * @param session The session.
   */
  constructor(session: Pkcs11Session) {
    this.session = session;
  }

  /**
   * Generates an RSA key pair (public exponent 65537) as token objects; the
   * private key signs and decrypts, is sensitive and not extractable.
   *
   * @param id `CKA_ID` of both objects.
   * @param keyLabel `CKA_LABEL` of both objects.
   * @param bits The modulus size. Default: `2048`.
   * @returns The pair.
   */
  async generateRsaKeyPair(id: Uint8Array, keyLabel: string, bits = 2048): Promise<Pkcs11KeyPair> {
    const handles = await this.session.generateKeyPair(
      { type: CKM.RSA_PKCS_KEY_PAIR_GEN },
      [
        ulongAttribute(CKA.CLASS, CKO.PUBLIC_KEY),
        ulongAttribute(CKA.KEY_TYPE, CKK.RSA),
        booleanAttribute(CKA.TOKEN, true),
        booleanAttribute(CKA.VERIFY, true),
        booleanAttribute(CKA.ENCRYPT, true),
        bytes(CKA.PUBLIC_EXPONENT, new Uint8Array([1, 0, 1])),
        ulongAttribute(CKA.MODULUS_BITS, BigInt(bits)),
        bytes(CKA.ID, id),
        label(CKA.LABEL, keyLabel),
      ],
      [
        booleanAttribute(CKA.TOKEN, true),
        booleanAttribute(CKA.SIGN, true),
        booleanAttribute(CKA.DECRYPT, true),
        booleanAttribute(CKA.SENSITIVE, true),
        booleanAttribute(CKA.EXTRACTABLE, false),
        bytes(CKA.ID, id),
        label(CKA.LABEL, keyLabel),
      ],
    );
    return await this.#pair(handles.privateKey, handles.publicKey, CKK.RSA, {
      id,
      label: keyLabel,
    });
  }

  /**
   * Generates an ECDSA key pair as token objects; the private key signs, is
   * sensitive and not extractable.
   *
   * Deviation from AosCore: P-256 is offered besides P-384.
   *
   * @param id `CKA_ID` of both objects.
   * @param keyLabel `CKA_LABEL` of both objects.
   * @param curve The curve. Default: `"P-384"`.
   * @returns The pair.
   */
  async generateEcdsaKeyPair(
    id: Uint8Array,
    keyLabel: string,
    curve: Pkcs11Curve = "P-384",
  ): Promise<Pkcs11KeyPair> {
    // CKA_EC_PARAMS holds the whole DER OID of the named curve.
    const params = der(new asn1js.ObjectIdentifier({ value: oidFromContent(curveOid(curve)) }));
    const handles = await this.session.generateKeyPair(
      { type: CKM.EC_KEY_PAIR_GEN },
      [
        ulongAttribute(CKA.CLASS, CKO.PUBLIC_KEY),
        ulongAttribute(CKA.KEY_TYPE, CKK.EC),
        booleanAttribute(CKA.TOKEN, true),
        booleanAttribute(CKA.VERIFY, true),
        bytes(CKA.EC_PARAMS, params),
        bytes(CKA.ID, id),
        label(CKA.LABEL, keyLabel),
      ],
      [
        booleanAttribute(CKA.TOKEN, true),
        booleanAttribute(CKA.SIGN, true),
        booleanAttribute(CKA.SENSITIVE, true),
        booleanAttribute(CKA.EXTRACTABLE, false),
        bytes(CKA.ID, id),
        label(CKA.LABEL, keyLabel),
      ],
    );
    return await this.#pair(handles.privateKey, handles.publicKey, CKK.EC, { id, label: keyLabel });
  }

  /**
   * Finds a key pair by id and label: the first private key whose public key
   * (same id, label and key type) is there too.
   *
   * @param id `CKA_ID`.
   * @param keyLabel `CKA_LABEL`.
   * @returns The pair.
   * @throws {AosError} `notFound` when there is no such private key, or
   * (with a message saying so) when its public key is missing.
   */
  async findPrivateKey(id: Uint8Array, keyLabel: string): Promise<Pkcs11KeyPair> {
    const where = `id ${toHex(id)}, label "${keyLabel}"`;
    let privates: bigint[];
    try {
      privates = await this.session.findObjects([
        ulongAttribute(CKA.CLASS, CKO.PRIVATE_KEY),
        bytes(CKA.ID, id),
        label(CKA.LABEL, keyLabel),
      ], MAX_OBJECTS);
    } catch (err) {
      if (errorIs(err, "notFound")) throw new AosError("notFound", `No private key with ${where}`);
      throw err;
    }
    for (const privateHandle of privates) {
      const [keyType] = await this.session.getAttributeValues(privateHandle, [CKA.KEY_TYPE]);
      const type = readUlongAttribute(keyType!);
      let publics: bigint[];
      try {
        publics = await this.session.findObjects([
          ulongAttribute(CKA.CLASS, CKO.PUBLIC_KEY),
          bytes(CKA.ID, id),
          label(CKA.LABEL, keyLabel),
          ulongAttribute(CKA.KEY_TYPE, type),
        ], MAX_OBJECTS);
      } catch (err) {
        if (errorIs(err, "notFound")) continue;
        throw err;
      }
      return await this.#pair(privateHandle, publics[0]!, type, { id, label: keyLabel });
    }
    throw new AosError("notFound", `The private key with ${where} has no public key`);
  }

  /**
   * Destroys a key pair: the private key, then the public key.
   *
   * @param pair The pair.
   */
  async deletePrivateKey(pair: Pkcs11KeyPair): Promise<void> {
    await this.session.destroyObject(pair.privateHandle);
    await this.session.destroyObject(pair.publicHandle);
  }

  /**
   * Stores a certificate as a public token object with its subject, issuer
   * and serial number (DER INTEGER) for lookups; `CKA_LABEL` only when not empty.
   *
   * @param id `CKA_ID`.
   * @param certLabel `CKA_LABEL`; AosCore imports intermediates with an empty one.
   * @param certificate DER, PEM or parsed.
   * @returns The object handle.
   */
  importCertificate(
    id: Uint8Array,
    certLabel: string,
    certificate: Uint8Array | string | Certificate,
  ): Promise<bigint> {
    let cert: Certificate;
    try {
      cert = certificate instanceof Uint8Array || typeof certificate === "string"
        ? parseCertificate(certificate)
        : certificate;
    } catch (err) {
      return Promise.reject(err);
    }
    const template = [
      ulongAttribute(CKA.CLASS, CKO.CERTIFICATE),
      ulongAttribute(CKA.CERTIFICATE_TYPE, CKC.X_509),
      booleanAttribute(CKA.TOKEN, true),
      booleanAttribute(CKA.PRIVATE, false),
      bytes(CKA.SUBJECT, cert.subject),
      bytes(CKA.ISSUER, cert.issuer),
      bytes(CKA.SERIAL_NUMBER, der(unsignedInteger(cert.serial))),
      bytes(CKA.VALUE, cert.raw),
      bytes(CKA.ID, id),
    ];
    if (certLabel !== "") template.push(label(CKA.LABEL, certLabel));
    return this.session.createObject(template);
  }

  /**
   * Whether the token holds the certificate with this issuer and serial.
   *
   * @param issuer The issuer's DER `Name`.
   * @param serial The serial, unsigned big-endian.
   * @returns `true` when at least one matches.
   */
  async hasCertificate(issuer: Uint8Array, serial: Uint8Array): Promise<boolean> {
    try {
      await this.session.findObjects([
        ulongAttribute(CKA.CLASS, CKO.CERTIFICATE),
        bytes(CKA.ISSUER, issuer),
        bytes(CKA.SERIAL_NUMBER, der(unsignedInteger(serial))),
      ]);
      return true;
    } catch (err) {
      if (errorIs(err, "notFound")) return false;
      throw err;
    }
  }

  /**
   * The chain of the certificate with this id and label, leaf first: each
   * issuer is found by subject, or else by a subject key identifier equal to
   * the authority key identifier; the chain ends at a self-signed
   * certificate, an issuer the token lacks, or a loop.
   *
   * Deviation from AosCore: its key identifier fallback is inverted and never
   * yields an issuer it found.
   *
   * @param id `CKA_ID` of the leaf.
   * @param certLabel `CKA_LABEL` of the leaf.
   * @returns The DER certificates.
   * @throws {AosError} `notFound` when the leaf is not there.
   */
  async findCertificateChain(id: Uint8Array, certLabel: string): Promise<Uint8Array[]> {
    const [leafHandle] = await this.session.findObjects([
      ulongAttribute(CKA.CLASS, CKO.CERTIFICATE),
      bytes(CKA.ID, id),
      label(CKA.LABEL, certLabel),
    ], MAX_OBJECTS);
    let current = await this.#certificate(leafHandle!);
    const chain = [current];
    for (;;) {
      if (current.issuer.length === 0 || bytesEqual(current.issuer, current.subject)) break;
      const issuer = await this.#issuerOf(current);
      if (issuer === undefined || chain.some((c) => bytesEqual(c.subject, issuer.subject))) break;
      chain.push(issuer);
      current = issuer;
    }
    return chain.map((c) => c.raw);
  }

  /**
   * Destroys every certificate with this id and label.
   *
   * @param id `CKA_ID`.
   * @param certLabel `CKA_LABEL`.
   * @throws {AosError} `notFound` when there is none.
   */
  async deleteCertificate(id: Uint8Array, certLabel: string): Promise<void> {
    const handles = await this.session.findObjects([
      ulongAttribute(CKA.CLASS, CKO.CERTIFICATE),
      bytes(CKA.ID, id),
      label(CKA.LABEL, certLabel),
    ]);
    for (const handle of handles) await this.session.destroyObject(handle);
  }

  async #issuerOf(cert: Certificate): Promise<Certificate | undefined> {
    try {
      const [handle] = await this.session.findObjects([
        ulongAttribute(CKA.CLASS, CKO.CERTIFICATE),
        bytes(CKA.SUBJECT, cert.issuer),
      ], MAX_OBJECTS);
      return await this.#certificate(handle!);
    } catch (err) {
      if (!errorIs(err, "notFound")) throw err;
    }
    const aki = cert.authorityKeyId;
    if (aki === undefined) return undefined;
    let all: bigint[];
    try {
      all = await this.session.findObjects([ulongAttribute(CKA.CLASS, CKO.CERTIFICATE)]);
    } catch (err) {
      if (errorIs(err, "notFound")) return undefined;
      throw err;
    }
    for (const handle of all) {
      const candidate = await this.#certificate(handle);
      if (candidate.subjectKeyId !== undefined && bytesEqual(candidate.subjectKeyId, aki)) {
        return candidate;
      }
    }
    return undefined;
  }

  async #certificate(handle: bigint): Promise<Certificate> {
    const [value] = await this.session.getAttributeValues(handle, [CKA.VALUE]);
    return parseCertificate(value!);
  }

  async #pair(
    privateHandle: bigint,
    publicHandle: bigint,
    keyType: bigint,
    identity: Pkcs11KeyIdentity,
  ): Promise<Pkcs11KeyPair> {
    const publicKey = await this.#publicKey(publicHandle, keyType);
    const key = new Pkcs11PrivateKey(this.session, privateHandle, publicKey, identity);
    return { privateHandle, publicHandle, key };
  }

  async #publicKey(handle: bigint, keyType: bigint): Promise<PublicKey> {
    if (keyType === CKK.RSA) {
      const [n, e] = await this.session.getAttributeValues(handle, [
        CKA.MODULUS,
        CKA.PUBLIC_EXPONENT,
      ]);
      return { type: "RSA", n: unsignedBytes(n!), e: unsignedBytes(e!) };
    }
    if (keyType !== CKK.EC) {
      throw new AosError("invalidArgument", `Unsupported key type 0x${keyType.toString(16)}`);
    }
    const [params, point] = await this.session.getAttributeValues(handle, [
      CKA.EC_PARAMS,
      CKA.EC_POINT,
    ]);
    const oid = readDer(params!, "CKA_EC_PARAMS");
    if (!(oid instanceof asn1js.ObjectIdentifier)) {
      throw new AosError("invalidArgument", "CKA_EC_PARAMS is not a named curve");
    }
    const curveOid = oidContent(oid.getValue());
    return { type: "ECDSA", curveOid, point: ecPoint(point!, curveOid) };
  }
}

// CKA_EC_POINT is a DER OCTET STRING around the point; some modules return
// the bare point, told apart by its length (04 ‖ X ‖ Y).
function ecPoint(value: Uint8Array, curveOid: Uint8Array): Uint8Array {
  const { size } = ecCurveOf({ type: "ECDSA", curveOid, point: value });
  if (value.length === 2 * size + 1) return value.slice();
  const node = readDer(value, "CKA_EC_POINT");
  if (!(node instanceof asn1js.OctetString)) {
    throw new AosError("invalidArgument", "CKA_EC_POINT is not an OCTET STRING");
  }
  return node.valueBlock.valueHexView.slice();
}
