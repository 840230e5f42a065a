import {
  type ActionDef,
  createClient,
  type ImportReport,
  type IngestResult,
  type MixpanelClient,
  prepareRequest,
} from "@mpkit/connector";
import { fileSize } from "@mpkit/connector/node";
import { flag, type ParsedArgs } from "../args.js";
import { resolveConnection } from "../config.js";
import { formatDryRun } from "../dry-run.js";
import { buildInput } from "../inputs.js";
import { type CliIo, UsageError } from "../io.js";
import { formatResult, type OutputFormat, parseFormat, writeRows } from "../output.js";
import { Progress } from "../progress.js";

interface Context {
  action: ActionDef;
  args: ParsedArgs;
  io: CliIo;
  format: OutputFormat;
  progress: Progress;
}

function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const value = flag(args, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new UsageError(`--${name.replace(/_/g, "-")} must be a non-negative number`);
  return number;
}

/** Runs one catalog action from the command line; resolves to the exit status. */
export async function runAction(action: ActionDef, args: ParsedArgs, io: CliIo): Promise<number> {
  const connection = resolveConnection(args, io.env);
  const debug = flag(args, "debug") === "true";
  const timeoutMs = numberFlag(args, "timeout");
  const maxRetries = numberFlag(args, "max_retries");
  const client = createClient({
    ...connection,
    ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
    ...(debug ? { debug: (line: string) => io.stderr.write(`[mpkit] ${line}\n`) } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(maxRetries === undefined ? {} : { retry: maxRetries }),
  });
  const input = await buildInput(action, args, io);
  const streaming =
    action.key === "download-data" || (action.key === "query-profiles" && flag(args, "all") === "true");
  const context: Context = {
    action,
    args,
    io,
    format: parseFormat(flag(args, "output"), streaming ? "jsonl" : "json"),
    progress: new Progress(
      (text) => io.stderr.write(text),
      flag(args, "progress") === "true" || io.stderr.isTTY === true,
      action.key,
    ),
  };
  if (flag(args, "dry_run") === "true") return dryRun(context, input, connection);
  if (action.key === "import-events") return importCommand(context, client, input);
  // Other record inputs (track-events) are single requests: read the file into an array.
  for (const [name, field] of Object.entries(action.inputs)) {
    const value = input[name];
    if (field.type !== "records" || value === undefined || Array.isArray(value)) continue;
    const records: unknown[] = [];
    for await (const record of value as AsyncIterable<unknown>) records.push(record);
    input[name] = records;
  }
  if (streaming) {
    const rows =
      action.key === "download-data" ? client.exportEvents(input as never) : client.profiles(input as never);
    const counted = (async function* () {
      let count = 0;
      for await (const row of rows) {
        count++;
        context.progress.update(
          `${count.toLocaleString("en-US")} ${action.key === "download-data" ? "events" : "profiles"}`,
        );
        yield row;
      }
    })();
    const count = await writeRows(counted, context.format, (text) => io.stdout.write(text));
    context.progress.done(`${count.toLocaleString("en-US")} done`);
    return 0;
  }
  const result = await client.call(action.key, input);
  io.stdout.write(formatResult(result, context.format));
  if (action.ingestion && !(result as IngestResult).ok) return 1;
  if (action.rawResponse && (result as { status: number }).status >= 400) return 1;
  return 0;
}

async function dryRun(
  context: Context,
  input: Record<string, unknown>,
  connection: Parameters<typeof prepareRequest>[2],
): Promise<number> {
  let note: string | undefined;
  for (const [name, field] of Object.entries(context.action.inputs)) {
    const value = input[name];
    if (field.type !== "records" || value === undefined || Array.isArray(value)) continue;
    // Show the first batch only: the rest are the same request with other events.
    const batch: unknown[] = [];
    const limit = Math.min(Number(input["batch_size"] ?? 2000), 2000);
    for await (const record of value as AsyncIterable<unknown>) {
      batch.push(record);
      if (batch.length >= limit) break;
    }
    input[name] = batch;
    note = `first batch (${batch.length} records) shown; nothing was sent`;
  }
  context.io.stdout.write(
    formatDryRun(prepareRequest(context.action, input, connection), note ?? "nothing was sent"),
  );
  return 0;
}

async function importCommand(
  context: Context,
  client: MixpanelClient,
  input: Record<string, unknown>,
): Promise<number> {
  const source = context.args.flags.get("events")?.at(-1);
  const total =
    source !== undefined && source !== "-" ? await fileSize(source).catch(() => undefined) : undefined;
  const report: ImportReport = await client.importEvents(input as never, {
    onProgress: (p) => {
      const text = `${p.accepted.toLocaleString("en-US")} imported, ${p.failed.toLocaleString("en-US")} failed, ${p.batches} batches`;
      // Progress against the file is approximated by events sent vs. read so far.
      context.progress.update(text, total === undefined || p.read === 0 ? undefined : p.sent / p.read);
    },
  });
  context.progress.done(
    `${report.accepted.toLocaleString("en-US")} imported, ${report.failed.toLocaleString("en-US")} failed`,
  );
  context.io.stdout.write(formatResult(report, context.format));
  return report.ok ? 0 : 1;
}
