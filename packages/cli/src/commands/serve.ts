import { parseArgs } from "node:util";
import { ConfigError, loadSampleData, type RunningServer, startServer } from "@mpkit/server";

const HELP = `Usage: mpkit serve [options]

Run the Mixpanel-compatible analytics server on embedded DuckDB. Mixpanel's SDKs send to it
unchanged (/track, /engage, /groups, /import) and /api/2.0/export answers like Mixpanel's.

Options:
  --port <n>          port to listen on (default 8080; env MPKIT_PORT)
  --host <addr>       interface to bind (default 127.0.0.1; env MPKIT_HOST)
  --data-dir <dir>    database and generated config (default ./.mpkit; env MPKIT_DATA_DIR)
  --config <file>     JSON file declaring organization, projects and service accounts
                      (env MPKIT_SERVER_CONFIG); without it the first start creates one project
                      and one owner service account and prints their credentials once
  --tls-cert <file>   serve HTTPS with this certificate (env MPKIT_TLS_CERT)
  --tls-key <file>    ... and this private key (env MPKIT_TLS_KEY); the official Node SDK
                      refuses /import with a secret over plain http
  --ingest-workers <n>
                      worker threads that decode and validate /import bodies (default: one per
                      core, at most 4; 0 does it on the main thread; env MPKIT_INGEST_WORKERS)
  --demo              load 30 days of sample events and profiles into an empty first project
  -h, --help          show this help

SIGTERM and SIGINT stop the server gracefully: every acknowledged write is flushed first.
`;

function workers(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined; // an empty variable means the default
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new ConfigError(`--ingest-workers must be 0-64, got ${text}`);
  return n;
}

function port(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(`--port must be 0-65535, got ${text}`);
  return n;
}

/**
 * `mpkit serve`: runs the Mixpanel-compatible server until SIGTERM/SIGINT.
 *
 * @example
 * ```sh
 * mpkit serve --port 8080 --data-dir ./.mpkit --demo
 * ```
 */
export const serveCommand = {
  name: "serve",
  summary: "Run the Mixpanel-compatible analytics server (embedded DuckDB)",
  help: HELP,
  async run(argv: readonly string[]): Promise<number> {
    const env = process.env;
    let values: Record<string, string | boolean | undefined>;
    try {
      ({ values } = parseArgs({
        args: [...argv],
        strict: true,
        options: {
          port: { type: "string" },
          host: { type: "string" },
          "data-dir": { type: "string" },
          config: { type: "string" },
          "tls-cert": { type: "string" },
          "tls-key": { type: "string" },
          "ingest-workers": { type: "string" },
          demo: { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
      }));
    } catch (error) {
      process.stderr.write(`mpkit serve: ${(error as Error).message}\n\n${HELP}`);
      return 2;
    }
    if (values["help"] === true) {
      process.stdout.write(HELP);
      return 0;
    }
    const str = (k: string, e: string) => (values[k] as string | undefined) ?? env[e];
    const tlsCertPath = str("tls-cert", "MPKIT_TLS_CERT");
    const tlsKeyPath = str("tls-key", "MPKIT_TLS_KEY");
    if ((tlsCertPath === undefined) !== (tlsKeyPath === undefined)) {
      process.stderr.write("mpkit serve: --tls-cert and --tls-key go together\n");
      return 2;
    }
    let server: RunningServer;
    try {
      const ingestWorkers = workers(str("ingest-workers", "MPKIT_INGEST_WORKERS"));
      server = await startServer({
        ...(ingestWorkers === undefined ? {} : { ingestWorkers }),
        port: port(str("port", "MPKIT_PORT")) ?? 8080,
        host: str("host", "MPKIT_HOST") ?? "127.0.0.1",
        dataDir: str("data-dir", "MPKIT_DATA_DIR") ?? "./.mpkit",
        configPath: str("config", "MPKIT_SERVER_CONFIG"),
        tlsCertPath,
        tlsKeyPath,
      });
    } catch (error) {
      if (error instanceof ConfigError) {
        process.stderr.write(`mpkit serve: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
    const out = (s: string) => process.stdout.write(`${s}\n`);
    // A stray rejection is a bug, but it must not take down a server that holds acknowledged data and
    // other clients' requests: log it and keep serving (Node's default would exit).
    process.on("unhandledRejection", (reason) => {
      process.stderr.write(`mpkit: unhandled rejection (please report this bug): ${String(reason)}\n`);
    });
    out(`mpkit server listening on ${server.url}`);
    const g = server.generated;
    if (g !== undefined) {
      out("Created project 1 and an owner service account. These secrets are shown only once:");
      out(`  project token:          ${g.token}`);
      out(`  project API secret:     ${g.apiSecret}`);
      out(`  service account:        ${g.username}`);
      out(`  service account secret: ${g.secret}`);
    }
    const first = server.context.tenants.projects[0];
    if (values["demo"] === true && first !== undefined) {
      const n = await loadSampleData(server.context, first);
      out(
        n > 0
          ? `Loaded ${n} sample events into project ${first.id}.`
          : `Project ${first.id} already has data.`,
      );
      const today = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      // On first start the credentials were just printed, so the examples can use them as they are.
      const auth = g === undefined ? "<service account>:<secret>" : `${g.username}:${g.secret}`;
      const range = `project_id=${first.id}&from_date=${from}&to_date=${today}`;
      out("Try:");
      out(`  curl -u '${auth}' '${server.url}/api/2.0/export?${range}&limit=5'`);
      out(`  curl -u '${auth}' '${server.url}/api/query/segmentation?${range}&event=Signed%20Up&unit=week'`);
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        out(`mpkit: ${signal} received, flushing and shutting down`);
        server.stop().then(resolve, (error: unknown) => {
          process.stderr.write(`mpkit: shutdown failed: ${(error as Error).message}\n`);
          resolve();
        });
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
    return 0;
  },
};
