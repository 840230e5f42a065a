import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Secrets at rest are salted SHA-256 hashes (`sha256$<salt>$<hash>`), compared in constant time.
 *
 * Why not scrypt: the secrets mpkit generates carry 128 random bits, which no offline attack on a fast
 * hash can recover, and secrets written in a `--config` file are in that file in clear anyway. A slow
 * hash would instead put tens of milliseconds of CPU on every request with a wrong secret, an easy way
 * to stall ingestion (found by the malformed-request test).
 */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16).toString("base64");
  return `sha256$${salt}$${digest(salt, secret).toString("base64")}`;
}

function digest(salt: string, secret: string): Buffer {
  return createHash("sha256").update(salt).update("\0").update(secret).digest();
}

/** Verifies a presented secret against a stored hash, in constant time. */
export function verifySecret(presented: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "sha256" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = digest(salt, presented);
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}

/** A random secret for generated credentials (32 hex characters, like Mixpanel's). */
export function generateSecret(): string {
  return randomBytes(16).toString("hex");
}
