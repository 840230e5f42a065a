import { UsageError } from "./io.js";

/** Parsed command line: flag values by snake_case name, in order of appearance. */
export interface ParsedArgs {
  readonly flags: Map<string, string[]>;
  readonly positionals: string[];
}

/** `--from-date` and `--from_date` both name the input `from_date`. */
export function flagName(raw: string): string {
  return raw.replace(/-/g, "_");
}

/**
 * A tiny parser (no dependency): `--name value`, `--name=value`, bare `--flag` (value "true"),
 * `--no-flag` (value "false"); `booleans` names flags that never take a separate value.
 */
export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string>): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const add = (name: string, value: string): void => {
    flags.set(name, [...(flags.get(name) ?? []), value]);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf("=");
    if (eq !== -1) {
      add(flagName(body.slice(0, eq)), body.slice(eq + 1));
      continue;
    }
    const name = flagName(body);
    if (booleans.has(name)) add(name, "true");
    else if (name.startsWith("no_") && booleans.has(name.slice(3))) add(name.slice(3), "false");
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new UsageError(`--${body} needs a value`);
      }
      add(name, next);
      i++;
    }
  }
  return { flags, positionals };
}

/** The last value of a flag. */
export function flag(args: ParsedArgs, name: string): string | undefined {
  return args.flags.get(name)?.at(-1);
}
