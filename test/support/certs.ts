// Test certificates made at test time with the openssl CLI in a temp dir (nothing committed).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM material for an https server on 127.0.0.1 and mTLS clients. */
export interface TestCerts {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Signed by the CA, subject `CN=webhook-client`. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second one signed by the CA with the same subject (a renewed certificate). */
  readonly renewedClientCert: string;
  readonly renewedClientKey: string;
  /** Self-signed with the same subject: must be refused. */
  readonly rogueCert: string;
  readonly rogueKey: string;
}

/** Generates a CA, a server certificate (SAN IP:127.0.0.1) and client certificates (EC P-256). */
export function generateTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "webhook-certs-"));
  const file = (name: string): string => join(dir, name);
  const ssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: "pipe" });
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    ssl("req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.crt"), "-subj", "/CN=webhook-test-ca", "-days", "2");
    const issue = (name: string, subject: string, ext: string): void => {
      writeFileSync(file(`${name}.ext`), ext);
      ssl("req", ...ec, "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", subject);
      ssl("x509", "-req", "-in", file(`${name}.csr`), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial",
        "-out", file(`${name}.crt`), "-days", "2", "-extfile", file(`${name}.ext`));
    };
    issue("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    issue("client", "/CN=webhook-client", "extendedKeyUsage=clientAuth\n");
    issue("renewed", "/CN=webhook-client", "extendedKeyUsage=clientAuth\n");
    ssl("req", "-x509", ...ec, "-keyout", file("rogue.key"), "-out", file("rogue.crt"), "-subj", "/CN=webhook-client", "-days", "2");
    const read = (name: string): string => readFileSync(file(name), "utf8");
    return {
      caCert: read("ca.crt"),
      serverCert: read("server.crt"),
      serverKey: read("server.key"),
      clientCert: read("client.crt"),
      clientKey: read("client.key"),
      renewedClientCert: read("renewed.crt"),
      renewedClientKey: read("renewed.key"),
      rogueCert: read("rogue.crt"),
      rogueKey: read("rogue.key"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
