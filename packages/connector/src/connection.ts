import type { CredentialKind } from "./catalog/define.js";
import { ValidationError } from "./errors.js";
import type { HostOptions } from "./http/hosts.js";

/** Credentials and project context; any subset may be given, each action picks what it accepts. */
export interface Connection extends HostOptions {
  /** Service account (docs: reference/service-accounts). The recommended credential. */
  serviceAccount?: { username: string; secret: string } | undefined;
  /** Project secret (legacy; retired by Mixpanel on 2027-03-03). */
  apiSecret?: string | undefined;
  /** Project token: goes into /track, /engage and /groups bodies, and authenticates /import and /flags. */
  token?: string | undefined;
  /** OAuth bearer token (the GDPR API requires it). */
  oauthToken?: string | undefined;
  /** Needed by project-scoped calls with a service account. */
  projectId?: number | string | undefined;
  /** Workspace (data view) id, for the calls that take one. */
  workspaceId?: number | string | undefined;
}

function has(connection: Connection, kind: CredentialKind): boolean {
  switch (kind) {
    case "serviceAccount":
      return connection.serviceAccount !== undefined;
    case "projectSecret":
      return connection.apiSecret !== undefined;
    case "projectToken":
      return connection.token !== undefined;
    case "oauth":
      return connection.oauthToken !== undefined;
    case "none":
      return true;
  }
}

const labels: Record<CredentialKind, string> = {
  serviceAccount: "a service account (username + secret)",
  projectSecret: "a project secret",
  projectToken: "a project token",
  oauth: "an OAuth token",
  none: "no Authorization header (the project token travels in the body)",
};

/** Human label of a credential kind, for docs and errors. */
export function credentialLabel(kind: CredentialKind): string {
  return labels[kind];
}

/** The first credential kind in the action's preference order that the connection can supply. */
export function chooseCredential(
  accepted: readonly CredentialKind[],
  connection: Connection,
  action: string,
): CredentialKind {
  const found = accepted.find((kind) => has(connection, kind));
  if (found !== undefined) return found;
  throw new ValidationError(
    `${action} needs ${accepted.map(credentialLabel).join(" or ")}; none is configured`,
  );
}

function basic(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/** The `Authorization` header for a credential kind, or undefined for `none`. */
export function authorizationHeader(kind: CredentialKind, connection: Connection): string | undefined {
  switch (kind) {
    case "serviceAccount":
      return (
        connection.serviceAccount &&
        basic(connection.serviceAccount.username, connection.serviceAccount.secret)
      );
    case "projectSecret":
      return connection.apiSecret === undefined ? undefined : basic(connection.apiSecret, "");
    case "projectToken":
      return connection.token === undefined ? undefined : basic(connection.token, "");
    case "oauth":
      return connection.oauthToken === undefined ? undefined : `Bearer ${connection.oauthToken}`;
    case "none":
      return undefined;
  }
}

/** Every secret value of a connection, so redaction can scrub them wherever they appear. */
export function connectionSecrets(connection: Connection): string[] {
  return [
    connection.serviceAccount?.secret,
    connection.apiSecret,
    connection.oauthToken,
    connection.token,
  ].filter((value): value is string => typeof value === "string" && value !== "");
}
