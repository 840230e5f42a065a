import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/**
 * Secrets at rest are scrypt hashes (`scrypt$<salt>$<hash>`). scrypt is deliberately slow, so a
 * successful verification is remembered by the SHA-256 of the presented secret: ingestion makes many
 * authenticated requests per second and must not pay scrypt each time.
 */
export function hashSecret(secret: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(secret, salt, 32);
  return `scrypt$${salt.toString("base64")}$${hash.toString("base64")}`;
}

const verified = new Map<string, string>();

/** Verifies a presented secret against a stored hash, in constant time. */
export function verifySecret(presented: string, stored: string): boolean {
  const fingerprint = createHash("sha256").update(presented).digest("base64");
  const cached = verified.get(stored);
  if (cached !== undefined) {
    const a = Buffer.from(cached);
    const b = Buffer.from(fingerprint);
    if (a.length === b.length && timingSafeEqual(a, b)) return true;
  }
  const [scheme, saltText, hashText] = stored.split("$");
  if (scheme !== "scrypt" || saltText === undefined || hashText === undefined) return false;
  const expected = Buffer.from(hashText, "base64");
  const actual = scryptSync(presented, Buffer.from(saltText, "base64"), expected.length);
  const ok = timingSafeEqual(actual, expected);
  if (ok) verified.set(stored, fingerprint);
  return ok;
}

/** A random secret for generated credentials (32 hex characters, like Mixpanel's). */
export function generateSecret(): string {
  return randomBytes(16).toString("hex");
}
