import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A self-signed certificate and its key, on disk. */
export interface TestCert {
  readonly certPath: string;
  readonly keyPath: string;
  /** The PEM certificate: it is its own CA, so clients trust exactly this. */
  readonly cert: Buffer;
}

/**
 * Makes a self-signed certificate for 127.0.0.1 with `openssl`. The IP must be in the subjectAltName:
 * Node's TLS checks the SAN, not the CN, for IP addresses. An EC key keeps generation instant.
 */
export function makeCert(dir: string): TestCert {
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyPath,
      "-out",
      certPath,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "pipe" },
  );
  return { certPath, keyPath, cert: readFileSync(certPath) };
}
