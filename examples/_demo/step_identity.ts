// Copyright 2026 the aos-common authors. Apache-2.0 license.
/**
 * Step 2: the unit's identity, renewed as the cloud protocol does it
 * (spec §4.10). The cloud sends `renewCertificatesNotification` with the
 * node's key-storage secret; the unit makes a key on its SoftHSM2 token
 * (`utils/pkcs11`) unlocked by that secret, signs a CSR with it in the token
 * (`utils/crypto`) and sends it in `issueUnitCertificates`; the cloud's CA
 * issues a certificate from the CSR (`issuedUnitCertificates`); the unit
 * checks the chain against the cloud's root, stores the certificate beside
 * its key and confirms with `installUnitCertificatesConfirmation`, which
 * the cloud checks against the serial it issued. Without SoftHSM2 (or on
 * Node) the key is a software key, and the demo says why.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import type { InstallCertStatus, IssueCertData } from "../../cloudprotocol/mod.ts";
import {
  createCertificate,
  createCsr,
  generatePrivateKey,
  issueCertificate,
  parseCertificate,
  parseCertificates,
  verifyCertificateChain,
} from "../../utils/crypto/mod.ts";
import { toHex } from "../../utils/mod.ts";
import type { DemoContext } from "./context.ts";
import { type KeyStore, softwareKeyStore, tokenKeyStore, tokenUnavailable } from "./key_store.ts";
import type { Step } from "./runner.ts";
import { detail } from "./ui.ts";

const CERT_TYPE = "online";
/** TLS client authentication: what the unit's online certificate is for. */
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

/** Step 2. */
export const identityStep: Step = {
  title: "the unit's identity",
  needs: [1],
  async run(ctx: DemoContext, signal: AbortSignal) {
    // The cloud's CA, whose root the unit was provisioned with.
    const caKey = await generatePrivateKey({ type: "ECDSA", curve: "P-384" });
    const caPem = await createCertificate(
      { subject: "O=Aos demo cloud, CN=Unit CA", isCa: true },
      { key: caKey },
    );
    const issued = new Map<string, string>();
    ctx.use(ctx.cloud.handle("issueUnitCertificates", async (message) => ({
      messageType: "issuedUnitCertificates",
      certificates: await Promise.all(message.requests.map(async (request) => {
        const leaf = await issueCertificate(request.csr, { key: caKey, certificate: caPem });
        issued.set(request.type, toHex(parseCertificate(leaf).serial));
        return { type: request.type, nodeId: request.nodeId, certificateChain: leaf + caPem };
      })),
    })));

    // The unit's key store; the node secret is its PIN.
    const secret = randomBytes(8).toString("hex");
    const unavailable = tokenUnavailable();
    if (unavailable !== undefined) detail(`${unavailable}: a software key instead`);
    const store: KeyStore = unavailable === undefined
      ? await tokenKeyStore(ctx, secret)
      : softwareKeyStore(ctx);
    detail(`keys: ${store.description}`);

    const installed = Promise.withResolvers<InstallCertStatus[]>();
    const failed = (err: unknown) => installed.reject(err);
    using _renew = ctx.conn.subscribe("renewCertificatesNotification", async (message) => {
      try {
        const requests: IssueCertData[] = [];
        for (const cert of message.certificates) {
          const pin = message.unitSecrets.nodes.find((n) => n.nodeId === cert.nodeId)?.secret ?? "";
          const key = await store.newKey(cert.type, pin);
          const csr = await createCsr(
            { subject: `O=Aos, CN=${ctx.systemId}`, extKeyUsage: [CLIENT_AUTH] },
            key,
          );
          detail(`${cert.type} key made, CSR signed with it (${csr.length} bytes of PEM)`);
          requests.push({ type: cert.type, nodeId: cert.nodeId, csr });
        }
        await ctx.conn.send({ messageType: "issueUnitCertificates", requests });
      } catch (err) {
        failed(err);
      }
    });
    using _issued = ctx.conn.subscribe("issuedUnitCertificates", async (message) => {
      try {
        const statuses: InstallCertStatus[] = [];
        for (const cert of message.certificates) {
          const [leaf, ...chain] = parseCertificates(cert.certificateChain);
          await verifyCertificateChain(leaf!, { roots: [caPem], intermediates: chain });
          await store.storeCertificate(cert.type, cert.certificateChain);
          const serial = toHex(leaf!.serial);
          detail(`certificate ${serial.slice(0, 16)}... by "${leaf!.issuerName}" stored`);
          statuses.push({ type: cert.type, nodeId: cert.nodeId, serial });
        }
        await ctx.conn.send({
          messageType: "installUnitCertificatesConfirmation",
          certificates: statuses,
        });
        installed.resolve(statuses);
      } catch (err) {
        failed(err);
      }
    });

    await ctx.cloud.push({
      messageType: "renewCertificatesNotification",
      certificates: [{ type: CERT_TYPE, nodeId: ctx.nodeId, serial: "" }],
      unitSecrets: { version: "2.0.0", nodes: [{ nodeId: ctx.nodeId, secret }] },
    });
    await installed.promise;
    const [confirmation] = await ctx.cloud.waitFor("installUnitCertificatesConfirmation", 1, {
      signal,
    });
    const status = confirmation!.certificates[0];
    if (status === undefined || status.serial !== issued.get(CERT_TYPE) || status.error) {
      throw new Error(
        `the cloud got serial "${status?.serial}", it issued "${issued.get(CERT_TYPE)}"`,
      );
    }
    return {
      summary:
        `certificate from a ${unavailable === undefined ? "token" : "software"}-signed CSR ` +
        "issued, installed, confirmed",
    };
  },
};
