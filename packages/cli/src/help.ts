import { type ActionDef, credentialLabel, type Field, families } from "@mpkit/connector";
import { serveCommand } from "./commands/serve.js";
import { globalFlags } from "./globals.js";
import { actionFlags } from "./inputs.js";

function valueHint(field: Field): string {
  switch (field.type) {
    case "boolean":
      return "";
    case "enum":
      return ` <${field.values.join("|")}>`;
    case "array":
      return " <value>...";
    case "object":
    case "json":
      return " <json|@file>";
    case "records":
      return " <file|->";
    case "number":
      return " <n>";
    default:
      return field.format === "date" ? " <yyyy-mm-dd>" : " <text>";
  }
}

/** `mpkit --help`: serve plus every action, grouped by Mixpanel API family. */
export function topLevelHelp(): string {
  const lines = [
    "mpkit: the Mixpanel toolkit",
    "",
    "Usage: mpkit <command> [flags]     mpkit <command> --help",
    "",
    "Server:",
    `  ${serveCommand.name.padEnd(38)} ${serveCommand.summary}`,
  ];
  for (const [family, actions] of Object.entries(families)) {
    lines.push("", `${family}:`);
    for (const action of Object.values(actions) as ActionDef[])
      lines.push(`  ${action.key.padEnd(38)} ${action.title}`);
  }
  lines.push(
    "",
    "Credentials come from flags, MPKIT_* environment variables or a profile in ~/.config/mpkit/config.json.",
    "Reference: docs/actions.md and docs/cli.md.",
  );
  return `${lines.join("\n")}\n`;
}

/** `mpkit <action> --help`, generated from the catalog. */
export function actionHelp(action: ActionDef): string {
  const lines = [`mpkit ${action.key}: ${action.title}`, "", action.description, ""];
  lines.push(`Request: ${action.method} ${action.path} (${action.family} hosts)`);
  lines.push(`Credential: ${action.auth.map(credentialLabel).join(", or ")}`, "", "Inputs:");
  const flags = actionFlags(action);
  if (flags.length === 0) lines.push("  (none)");
  for (const [name, field] of flags) {
    const tags = [
      field.required && field.default === undefined ? "required" : "",
      field.default === undefined ? "" : `default ${JSON.stringify(field.default)}`,
    ]
      .filter(Boolean)
      .join(", ");
    lines.push(
      `  --${name.replace(/_/g, "-")}${valueHint(field)}`,
      `      ${field.description}${tags ? ` (${tags})` : ""}`,
    );
  }
  lines.push("", "Connection and output:");
  for (const flag of globalFlags)
    lines.push(`  --${flag.name}${flag.value ? ` <${flag.value}>` : ""}`.padEnd(34) + flag.help);
  return `${lines.join("\n")}\n`;
}
