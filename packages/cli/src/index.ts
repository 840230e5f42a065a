import { serveCommand } from "./commands/serve.js";

/** Runs the CLI with the given arguments and resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === serveCommand.name) return serveCommand.run(rest);
  process.stdout.write("usage: mpkit serve [options]\n");
  return command === undefined || command === "--help" ? 0 : 1;
}
