import { readFileSync } from "node:fs";
import type { ActionDef, Field } from "@mpkit/connector";
import { readRecordsFromFile } from "@mpkit/connector/node";
import { flag, type ParsedArgs } from "./args.js";
import { globalNames } from "./globals.js";
import { type CliIo, UsageError } from "./io.js";

/** `@path` reads a file; `@@text` is a literal `@text`. */
function readValue(raw: string): string {
  if (raw.startsWith("@@")) return raw.slice(1);
  if (raw.startsWith("@")) {
    try {
      return readFileSync(raw.slice(1), "utf8");
    } catch (error) {
      throw new UsageError(`Cannot read ${raw.slice(1)}: ${(error as Error).message}`);
    }
  }
  return raw;
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--${name.replace(/_/g, "-")} must be JSON (or @file.json)`);
  }
}

function convert(field: Field, values: string[], name: string): unknown {
  const raw = values.at(-1) ?? "";
  switch (field.type) {
    case "string":
      return readValue(raw);
    case "number": {
      const number = Number(raw);
      if (raw === "" || Number.isNaN(number))
        throw new UsageError(`--${name.replace(/_/g, "-")} must be a number`);
      return number;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false")
        throw new UsageError(`--${name.replace(/_/g, "-")} must be true or false`);
      return raw === "true";
    case "enum":
      return field.values.find((value) => String(value) === raw) ?? raw;
    case "array": {
      // Repeated flags, or one JSON array.
      if (values.length === 1 && raw.trim().startsWith("[")) return parseJson(readValue(raw), name);
      return values.map((value) => convert(field.items, [value], name));
    }
    case "object":
    case "json": {
      const text = readValue(raw);
      return field.type === "json" && !/^\s*[[{"\d-]|^\s*(true|false|null)\s*$/.test(text)
        ? text
        : parseJson(text, name);
    }
    case "records":
      return raw;
  }
}

/** Flags an action's `--help` shows and accepts. */
export function actionFlags(action: ActionDef): [string, Field][] {
  return Object.entries(action.inputs).filter(([name]) => !globalNames.has(name));
}

/**
 * Builds an action's input from `--input` and per-input flags, typed by the catalog schema. Records
 * inputs (events) are file paths (or `-` for stdin), streamed by the importer.
 */
export async function buildInput(
  action: ActionDef,
  args: ParsedArgs,
  io: CliIo,
): Promise<Record<string, unknown>> {
  const base = flag(args, "input");
  const input: Record<string, unknown> =
    base === undefined ? {} : (parseJson(readValue(base), "input") as Record<string, unknown>);
  const known = new Set(actionFlags(action).map(([name]) => name));
  for (const [name, values] of args.flags) {
    if (globalNames.has(name)) continue;
    if (!known.has(name))
      throw new UsageError(
        `Unknown flag --${name.replace(/_/g, "-")} for ${action.key}; see mpkit ${action.key} --help`,
      );
    const field = action.inputs[name];
    if (field !== undefined) input[name] = convert(field, values, name);
  }
  for (const [name, field] of Object.entries(action.inputs)) {
    if (field.type !== "records" || typeof input[name] !== "string") continue;
    const source = input[name] as string;
    input[name] = source === "-" ? recordsFromText(await io.readStdin()) : readRecordsFromFile(source);
  }
  return input;
}

function recordsFromText(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) return JSON.parse(trimmed) as unknown[];
  return trimmed
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}
