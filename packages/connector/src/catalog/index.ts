import * as annotations from "./annotations.js";
import type { ActionDef } from "./define.js";
import * as experiments from "./experiments.js";
import * as exportFamily from "./export.js";
import * as featureFlags from "./feature-flags.js";
import * as gdpr from "./gdpr.js";
import * as groups from "./groups.js";
import * as identity from "./identity.js";
import * as ingestion from "./ingestion.js";
import * as jql from "./jql.js";
import * as lexicon from "./lexicon.js";
import * as lookupTables from "./lookup-tables.js";
import * as pipelines from "./pipelines.js";
import * as platform from "./platform.js";
import * as query from "./query.js";
import * as raw from "./raw.js";
import * as savedReports from "./saved-reports.js";
import * as serviceAccounts from "./service-accounts.js";
import * as warehouse from "./warehouse.js";

const namespaces = {
  Ingestion: { ...ingestion, ...groups, ...lookupTables },
  Identity: identity,
  Export: exportFamily,
  Query: query,
  JQL: jql,
  "Saved reports (mpkit server)": savedReports,
  Annotations: annotations,
  Lexicon: lexicon,
  GDPR: gdpr,
  "Feature flags": featureFlags,
  Experiments: experiments,
  "Service accounts": serviceAccounts,
  "Data pipelines": pipelines,
  "Warehouse connectors": warehouse,
  Platform: platform,
  Raw: raw,
} as const;

type Families = typeof namespaces;

// Module namespace objects list exports alphabetically under native ESM but in declaration order under
// some transpilers; sorting by key makes the catalog order (and docs/actions.md) the same everywhere.
function sorted(family: Record<string, ActionDef>): Record<string, ActionDef> {
  return Object.fromEntries(
    Object.values(family)
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((action) => [action.key, action]),
  );
}

/** Catalog sections in documentation order (family name → action key → action). */
export const families: Readonly<Record<string, Readonly<Record<string, ActionDef>>>> = Object.fromEntries(
  Object.entries(namespaces).map(([name, family]) => [name, sorted(family as Record<string, ActionDef>)]),
);
/** Every action, as a union of their literal types (drives the client's method types). */
export type CatalogAction = { [F in keyof Families]: Families[F][keyof Families[F]] }[keyof Families];

/**
 * The whole catalog: every Mixpanel action, in documentation order.
 * @example
 * catalog.find((action) => action.key === "segmentation")?.path; // "/api/query/segmentation"
 */
export const catalog: readonly ActionDef[] = Object.values(families).flatMap(
  (family) => Object.values(family) as ActionDef[],
);

/** The family name of each action key, for docs and help. */
export const familyOf: ReadonlyMap<string, string> = new Map(
  Object.entries(families).flatMap(([name, family]) =>
    Object.values(family).map((action) => [action.key, name] as const),
  ),
);

const byKey = new Map<string, ActionDef>(catalog.map((action) => [action.key, action]));

/** Looks an action up by its key. */
export function findAction(key: string): ActionDef | undefined {
  return byKey.get(key);
}
