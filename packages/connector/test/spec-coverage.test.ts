import { catalog } from "@mpkit/connector";
import { describe, expect, it } from "vitest";
import { loadSpecOperations, pathMatcher } from "./support/specs.js";

const operations = loadSpecOperations();

describe("every operation in Mixpanel's OpenAPI specs has an action", () => {
  it("reads a plausible number of operations", () => {
    expect(operations.length).toBeGreaterThan(100);
  });

  const cited = new Set(catalog.flatMap((action) => action.operations ?? []));
  it.each(operations.map((op) => [op.ref, op] as const))("%s has an action", (ref) => {
    expect(cited.has(ref), `no catalog action cites ${ref}`).toBe(true);
  });

  it("cites only operations that exist, with the same method, path and host family", () => {
    const byRef = new Map(operations.map((op) => [op.ref, op]));
    const problems: string[] = [];
    for (const action of catalog) {
      for (const ref of action.operations ?? []) {
        const op = byRef.get(ref);
        if (op === undefined) {
          problems.push(`${action.key}: unknown operation ${ref}`);
          continue;
        }
        if (op.method !== action.method)
          problems.push(`${action.key}: method ${action.method}, spec ${op.method}`);
        if (!pathMatcher(op.path).test(action.path.replace(/\{\w+\}/g, "x"))) {
          problems.push(`${action.key}: path ${action.path}, spec ${op.path}`);
        }
        if (op.family !== action.family)
          problems.push(`${action.key}: family ${action.family}, spec ${op.family}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("has unique keys in kebab-case", () => {
    const keys = catalog.map((action) => action.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it("includes every connector action integration platforms ship", () => {
    const names = new Set(catalog.flatMap((action) => [action.title, ...(action.aliases ?? [])]));
    const platformActions = [
      "Create Alias",
      "Create Identity",
      "Create Profile",
      "Delete Profile",
      "Update Multiple Profiles",
      "Track Events",
      "Import Events",
      "Download Data",
      "Custom JQL Query",
      "Query Profile",
      "List Saved Funnels",
      "Query Funnel Saved Reports",
      "Query Insights Saved Reports",
      "Create GCS Pipeline",
      "Create Generic Pipeline",
      "Edit GCS Pipeline",
      "Edit Generic Pipeline",
      "Delete Pipeline",
      "Get Pipeline",
      "List Pipelines",
      "Raw Request",
      "Get Projects",
      "Get Aggregate Event Counts",
      "Get Aggregated Event Property Values",
      "Get Today's Top Events",
      "Get Top Events (Last 31 Days)",
      "Get Top Event Properties",
      "Get Top Event Property Values",
      "Query Profiles",
      "Get Profile Event Activity",
      "List Saved Cohorts",
      "Custom Action",
    ];
    expect(platformActions.filter((name) => !names.has(name))).toEqual([]);
  });
});
