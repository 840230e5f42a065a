import type { ActionDef } from "../catalog/define.js";
import { credentialLabel } from "../connection.js";
import type { Field } from "../schema.js";
import { exampleInput } from "./example-input.js";

const familyHosts: Record<ActionDef["family"], string> = {
  ingestion: "ingestion (`api.mixpanel.com`, `api-eu.`, `api-in.`)",
  query: "query (`mixpanel.com`, `eu.`, `in.`)",
  export: "export (`data.mixpanel.com`, `data-eu.`, `data-in.`)",
};

function typeOf(field: Field): string {
  switch (field.type) {
    case "enum":
      return field.values.map((value) => `\`${value}\``).join(" \\| ");
    case "array":
      return `array of ${typeOf(field.items)}`;
    case "number":
      return field.integer ? "integer" : "number";
    case "records":
      return "records (array, iterable, or a file in the CLI)";
    default:
      return field.type;
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function camel(key: string): string {
  return key.replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}

function cliValue(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return /^[\w@./:-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

function renderAction(action: ActionDef, family: string): string {
  const lines: string[] = [];
  lines.push(`### ${action.title}`, "");
  lines.push(action.description, "");
  const aliases = action.aliases?.length ? ` Also known as: ${action.aliases.join(", ")}.` : "";
  lines.push(
    `- Key: \`${action.key}\` (client: \`${camel(action.key)}()\`, CLI: \`mpkit ${action.key}\`).${aliases}`,
    `- Request: \`${action.method} ${action.path}\` on the ${familyHosts[action.family]} host family; family: ${family}.`,
    `- Credential: ${action.auth.map(credentialLabel).join(", or ")}.`,
  );
  if (action.operations?.length)
    lines.push(`- Mixpanel spec: ${action.operations.map((op) => `\`${op}\``).join(", ")}.`);
  lines.push("");
  const inputs = Object.entries(action.inputs);
  if (inputs.length > 0) {
    lines.push("| Input | Type | Required | Default | Description |", "| --- | --- | --- | --- | --- |");
    for (const [name, field] of inputs) {
      const required = field.connection !== undefined ? "from connection" : field.required ? "yes" : "no";
      const fallback = field.default === undefined ? "" : `\`${JSON.stringify(field.default)}\``;
      lines.push(
        `| \`${name}\` | ${typeOf(field)} | ${required} | ${fallback} | ${cell(field.description)} |`,
      );
    }
    lines.push("");
  }
  const example = exampleInput(action);
  const flags = Object.entries(example)
    .map(([name, value]) => ` --${name.replace(/_/g, "-")} ${cliValue(value)}`)
    .join("");
  lines.push("```sh", `mpkit ${action.key}${flags}`, "```", "");
  lines.push("```ts", `await mixpanel.${camel(action.key)}(${JSON.stringify(example)});`, "```", "");
  return lines.join("\n");
}

/**
 * Renders docs/actions.md from the catalog: one section per action with inputs, credential and examples.
 * @example
 * writeFileSync("docs/actions.md", renderActionsMarkdown(families));
 */
export function renderActionsMarkdown(
  families: Readonly<Record<string, Readonly<Record<string, ActionDef>>>>,
): string {
  const out: string[] = [
    "<!-- Generated from packages/connector/src/catalog by packages/connector/scripts/generate-docs.ts. Do not edit. -->",
    "",
    "# Mixpanel actions",
    "",
    "Every action of the mpkit connector: one catalog gives the typed client (`createClient()` from `@mpkit/connector`), the `mpkit <action>` CLI commands and this page.",
    "Inputs use Mixpanel's own names. Inputs marked *from connection* (`project_id`, `workspace_id`, `token`) are filled from the client options or the CLI profile when left out.",
    "",
  ];
  for (const [family, actions] of Object.entries(families)) {
    out.push(`## ${family}`, "");
    for (const action of Object.values(actions)) out.push(`- [${action.title}](#${anchor(action.title)})`);
    out.push("");
    for (const action of Object.values(actions)) out.push(renderAction(action, family));
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
}
