import type { IdentityMode } from "@mpkit/ingest";
import { type MpkitConfig, ROLES, type Role } from "./schema.js";
import { hashSecret, verifySecret } from "./secrets.js";

/** A project as the server sees it. */
export interface Project {
  readonly id: number;
  readonly name: string;
  readonly token: string;
  readonly timezone: string;
  readonly identityMode: IdentityMode;
  readonly apiSecretHash?: string | undefined;
}

/** A service account with its per-project roles. */
export interface ServiceAccount {
  readonly username: string;
  readonly secretHash: string;
  readonly projects: ReadonlyMap<number, Role>;
}

/** Who a request authenticated as. */
export type Principal =
  | { readonly kind: "service-account"; readonly account: ServiceAccount }
  | { readonly kind: "project-secret"; readonly project: Project }
  | { readonly kind: "token"; readonly project: Project };

/** Credentials from an `Authorization: Basic` header. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

/** True when `role` is at least `min` in Mixpanel's order consumer < analyst < admin < owner. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/**
 * The organization's projects and service accounts, with secrets held only as hashes.
 *
 * @example
 * ```ts
 * const tenants = Tenants.fromConfig(config);
 * const who = tenants.authenticate({ username: "sa.owner", password: "owner-secret" });
 * ```
 */
export class Tenants {
  private readonly byId = new Map<number, Project>();
  private readonly byToken = new Map<string, Project>();
  private readonly accounts = new Map<string, ServiceAccount>();

  private constructor(readonly organization: { readonly id: number; readonly name: string }) {}

  /** Builds the tenants from a validated config, hashing any clear-text secret. */
  static fromConfig(config: MpkitConfig): Tenants {
    const t = new Tenants(config.organization);
    for (const p of config.projects) {
      const project: Project = {
        id: p.id,
        name: p.name,
        token: p.token,
        timezone: p.timezone,
        identityMode: p.identityMerge,
        apiSecretHash: p.apiSecretHash ?? (p.apiSecret === undefined ? undefined : hashSecret(p.apiSecret)),
      };
      t.byId.set(project.id, project);
      t.byToken.set(project.token, project);
    }
    for (const sa of config.serviceAccounts) {
      t.accounts.set(sa.username, {
        username: sa.username,
        secretHash: sa.secretHash ?? hashSecret(sa.secret ?? ""),
        projects: new Map(sa.projects.map((p) => [p.id, p.role])),
      });
    }
    return t;
  }

  /** All projects. */
  get projects(): Project[] {
    return [...this.byId.values()];
  }

  projectById(id: number): Project | undefined {
    return this.byId.get(id);
  }

  projectByToken(token: string): Project | undefined {
    return this.byToken.get(token);
  }

  /**
   * Authenticates Basic credentials as a service account (`username:secret`), a project secret
   * (`secret:` with an empty password) or a project token (`token:`). Returns `undefined` when they
   * match nothing.
   */
  authenticate(creds: BasicCredentials): Principal | undefined {
    const account = this.accounts.get(creds.username);
    if (account !== undefined) {
      return verifySecret(creds.password, account.secretHash)
        ? { kind: "service-account", account }
        : undefined;
    }
    if (creds.password !== "") return undefined;
    const byToken = this.byToken.get(creds.username);
    if (byToken !== undefined) return { kind: "token", project: byToken };
    for (const project of this.byId.values()) {
      if (project.apiSecretHash !== undefined && verifySecret(creds.username, project.apiSecretHash)) {
        return { kind: "project-secret", project };
      }
    }
    return undefined;
  }
}

/**
 * Parses `Authorization: Basic ...`. Mixpanel accepts the credentials base64-encoded or as plain
 * `user:secret` text after `Basic ` (service-accounts docs), so both are read.
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(header.trim());
  if (m === null) return undefined;
  const raw = (m[1] ?? "").trim();
  let text = raw;
  if (!raw.includes(":")) {
    text = Buffer.from(raw, "base64").toString("utf8");
    if (!text.includes(":")) text = `${text}:`;
  }
  const i = text.indexOf(":");
  return { username: text.slice(0, i), password: text.slice(i + 1) };
}
