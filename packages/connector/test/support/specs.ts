import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { HostFamily } from "@mpkit/connector";
import { parse } from "yaml";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The sibling reference copy when present (kept current by the team), else the vendored one. */
export function specDirectory(): string {
  const sibling = resolve(repoRoot, "../shared/reference/mixpanel-openapi");
  return existsSync(sibling) ? sibling : join(repoRoot, "spec/mixpanel-openapi");
}

/** One operation of Mixpanel's specs, reduced to what a wire request must match. */
export interface SpecOperation {
  /** `<file stem>#<operationId>`, the form catalog actions cite. */
  readonly ref: string;
  readonly method: string;
  /** Full path: the server's base path plus the operation path, fragment removed. */
  readonly path: string;
  readonly family: HostFamily;
  /** Accepted security scheme names; `[]` for an entry means "no auth". */
  readonly security: readonly (readonly string[])[];
  readonly requiredQuery: readonly string[];
  readonly queryParams: readonly string[];
  readonly contentTypes: readonly string[];
}

type Doc = Record<string, unknown> & {
  paths?: Record<string, Record<string, unknown>>;
  servers?: { url: string; variables?: Record<string, { default: string }> }[];
};

function deref<T>(doc: Doc, value: unknown): T {
  let current = value as { $ref?: string } | undefined;
  for (let depth = 0; current?.$ref !== undefined && depth < 10; depth++) {
    const parts = current.$ref.replace(/^#\//, "").split("/");
    current = parts.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], doc) as {
      $ref?: string;
    };
  }
  return current as T;
}

function familyOf(server: NonNullable<Doc["servers"]>[number]): HostFamily {
  const variable = /\{(\w+)\}/.exec(server.url)?.[1] ?? "";
  const fallback = server.variables?.[variable]?.default ?? "";
  if (variable === "server") return "export";
  if (variable === "region" || fallback.startsWith("api")) return "ingestion";
  return "query";
}

/** Every operation of every spec file. */
export function loadSpecOperations(): SpecOperation[] {
  const dir = specDirectory();
  const operations: SpecOperation[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!/\.(ya?ml|json)$/.test(file)) continue;
    const text = readFileSync(join(dir, file), "utf8");
    const doc = (file.endsWith(".json") ? JSON.parse(text) : parse(text)) as Doc;
    const stem = file.replace(/\.openapi\.(ya?ml|json)$/, "");
    const server = doc.servers?.[0];
    if (server === undefined) continue;
    const basePath = new URL(server.url.replace(/\{\w+\}/g, "host")).pathname.replace(/\/$/, "");
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, raw] of Object.entries(item)) {
        if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
        const op = raw as Record<string, unknown>;
        const params = [
          ...((item["parameters"] as unknown[]) ?? []),
          ...((op["parameters"] as unknown[]) ?? []),
        ].map((p) => deref<{ in: string; name: string; required?: boolean }>(doc, p));
        const security = ((op["security"] ?? doc["security"] ?? [{}]) as Record<string, unknown>[]).map(
          (entry) => Object.keys(entry),
        );
        const body = deref<{ content?: Record<string, unknown> } | undefined>(doc, op["requestBody"]);
        operations.push({
          ref: `${stem}#${op["operationId"]}`,
          method: method.toUpperCase(),
          path: basePath + path.replace(/#.*$/, ""),
          family: familyOf(server),
          security,
          requiredQuery: params.filter((p) => p.in === "query" && p.required).map((p) => p.name),
          queryParams: params.filter((p) => p.in === "query").map((p) => p.name),
          contentTypes: Object.keys(body?.content ?? {}),
        });
      }
    }
  }
  return operations;
}

/** Turns a spec path template into a matcher (`{projectId}` matches one segment). */
export function pathMatcher(template: string): RegExp {
  const pattern = template
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[^/]+");
  return new RegExp(`^${pattern}$`);
}
