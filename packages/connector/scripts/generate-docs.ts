// Regenerates docs/actions.md from the catalog: npx tsx --conditions=source packages/connector/scripts/generate-docs.ts
import { writeFileSync } from "node:fs";
import { families, renderActionsMarkdown } from "@mpkit/connector";

const target = new URL("../../../docs/actions.md", import.meta.url);
writeFileSync(target, renderActionsMarkdown(families));
process.stdout.write(`wrote ${target.pathname}\n`);
