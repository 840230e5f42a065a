import { findAction, MixpanelError, MixpanelHttpError } from "@mpkit/connector";
import { parseArgs } from "./args.js";
import { runAction } from "./commands/run-action.js";
import { serveCommand } from "./commands/serve.js";
import { booleanGlobals } from "./globals.js";
import { actionHelp, topLevelHelp } from "./help.js";
import { type CliIo, processIo, UsageError } from "./io.js";

/**
 * Runs the CLI with the given arguments and resolves to the process exit code: 0 on success, 1 when
 * Mixpanel or the network failed (or an ingestion call rejected records), 2 for usage errors.
 * @example
 * process.exitCode = await main(["segmentation", "--event", "Signed Up", "--from-date", "2024-01-01", "--to-date", "2024-01-31"]);
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === serveCommand.name) return serveCommand.run(rest);
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    io.stdout.write(topLevelHelp());
    return command === undefined ? 2 : 0;
  }
  const action = findAction(command);
  if (action === undefined) {
    io.stderr.write(`mpkit: unknown command "${command}". Run mpkit --help for the list.\n`);
    return 2;
  }
  try {
    const booleans = new Set([
      ...booleanGlobals,
      ...Object.entries(action.inputs)
        .filter(([, field]) => field.type === "boolean")
        .map(([name]) => name),
    ]);
    const args = parseArgs(rest, booleans);
    if (args.flags.has("help") || rest.includes("-h")) {
      io.stdout.write(actionHelp(action));
      return 0;
    }
    if (args.positionals.length > 0) throw new UsageError(`Unexpected argument "${args.positionals[0]}"`);
    return await runAction(action, args, io);
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`mpkit: ${error.message}\n`);
    return 2;
  }
  if (error instanceof MixpanelError) {
    const lines = [`mpkit: ${error.name}: ${error.message}`];
    if (error instanceof MixpanelHttpError && error.body !== null && typeof error.body === "object") {
      lines.push(`  body: ${JSON.stringify(error.body)}`);
    }
    if (error.request !== undefined) lines.push(`  request: ${error.request.method} ${error.request.url}`);
    if (error.name === "ValidationError") {
      io.stderr.write(`${lines.join("\n")}\n`);
      return 2;
    }
    io.stderr.write(`${lines.join("\n")}\n`);
    return 1;
  }
  io.stderr.write(`mpkit: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
