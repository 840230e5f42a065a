import { ValidationError } from "../errors.js";

/**
 * Mixpanel serves its API from three host families, each with a US, EU and India host:
 * - `ingestion`: /track, /import, /engage, /groups, /lookup-tables, /flags (api.mixpanel.com);
 * - `query`: the Query API under /api/query and the app API under /api/app (mixpanel.com);
 * - `export`: raw export and data pipelines under /api/2.0 (data.mixpanel.com).
 */
export type HostFamily = "ingestion" | "query" | "export";

/** Data residency region (docs: docs/privacy/eu-residency, in-residency). */
export type Region = "US" | "EU" | "IN";

export const hostFamilies: readonly HostFamily[] = ["ingestion", "query", "export"];

const hosts: Record<HostFamily, Record<Region, string>> = {
  ingestion: {
    US: "https://api.mixpanel.com",
    EU: "https://api-eu.mixpanel.com",
    IN: "https://api-in.mixpanel.com",
  },
  query: { US: "https://mixpanel.com", EU: "https://eu.mixpanel.com", IN: "https://in.mixpanel.com" },
  export: {
    US: "https://data.mixpanel.com",
    EU: "https://data-eu.mixpanel.com",
    IN: "https://data-in.mixpanel.com",
  },
};

/** Where requests go: a region, one base URL for everything (a self-hosted mpkit), or one per family. */
export interface HostOptions {
  /** @default "US" */
  region?: Region | Lowercase<Region> | undefined;
  /** One base URL for every family, e.g. `http://127.0.0.1:8080` for `mpkit serve`. */
  baseUrl?: string | undefined;
  /** Per-family base URLs; win over `baseUrl` and `region`. */
  baseUrls?: Partial<Record<HostFamily, string>> | undefined;
}

/** Normalises a region name, rejecting unknown ones by name. */
export function parseRegion(region: string | undefined): Region {
  const upper = (region ?? "US").toUpperCase();
  if (upper === "US" || upper === "EU" || upper === "IN") return upper;
  throw new ValidationError(`Unknown region "${region}": use US, EU or IN`);
}

/**
 * The base URL for a host family.
 * @example
 * baseUrlFor("export", { region: "EU" }); // "https://data-eu.mixpanel.com"
 */
export function baseUrlFor(family: HostFamily, options: HostOptions = {}): string {
  const explicit = options.baseUrls?.[family] ?? options.baseUrl;
  if (explicit !== undefined) return explicit.replace(/\/+$/, "");
  return hosts[family][parseRegion(options.region)];
}
