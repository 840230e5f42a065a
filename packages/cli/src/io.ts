/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  env: Record<string, string | undefined>;
  /** Reads stdin fully (for `-` values). */
  readStdin(): Promise<string>;
  /** Used instead of the real `fetch` (tests). */
  fetch?: typeof fetch | undefined;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** The real process streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, readStdin: readProcessStdin };
}

/** An error whose message is shown as is, with a usage exit status. */
export class UsageError extends Error {
  override name = "UsageError";
}
