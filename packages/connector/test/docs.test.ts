import { readFileSync } from "node:fs";
import { catalog, families, renderActionsMarkdown } from "@mpkit/connector";
import { describe, expect, it } from "vitest";

const path = new URL("../../../docs/actions.md", import.meta.url);

describe("docs/actions.md", () => {
  it("is up to date with the catalog (run: npx tsx --conditions=source packages/connector/scripts/generate-docs.ts)", () => {
    expect(readFileSync(path, "utf8")).toBe(renderActionsMarkdown(families));
  });
  it("documents every action with its inputs, credential and an example", () => {
    const text = renderActionsMarkdown(families);
    for (const action of catalog) {
      expect(text).toContain(`### ${action.title}`);
      expect(text).toContain(`mpkit ${action.key}`);
    }
    expect(text).toContain("| `from_date` | string | yes |");
    expect(text).toContain("Credential: a service account (username + secret), or a project secret.");
  });
});
