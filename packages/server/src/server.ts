import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { createAdaptorServer, type ServerType } from "@hono/node-server";
import { QueryEngine } from "@mpkit/query";
import type { StorageAdapter } from "@mpkit/storage";
import { DuckDbStorage } from "@mpkit/storage-duckdb";
import type { Hono } from "hono";
import { createApp } from "./app.js";
import { type GeneratedCredentials, loadOrCreateDefaultConfig, readConfigFile } from "./config/load.js";
import { loadConfigReports } from "./config/reports.js";
import type { MpkitConfig } from "./config/schema.js";
import { Tenants } from "./config/tenants.js";
import { defaultLimits, type ServerContext, type ServerLimits } from "./context.js";
import { QueryLimiter } from "./http/rate-limit.js";
import { defaultIngestWorkers, ImportNormalizer } from "./ingest/normalizer.js";
import type { WhereCompiler } from "./where.js";
import { defaultWhereCompiler } from "./where-default.js";
import { Writer } from "./write/writer.js";

/**
 * The node SDK sends single events and profile updates as `GET /track?data=<base64>`, so a large event
 * makes a long URL; Node's default 16 KB header limit would answer those with a bare 431.
 */
const MAX_HEADER_BYTES = 1024 * 1024;

/** Options for {@link createMpkitServer} and {@link startServer}. */
export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. @default 8080 */
  readonly port?: number;
  /** Interface to bind. @default "127.0.0.1" */
  readonly host?: string;
  /** Where the database and the generated config live. @default "./.mpkit" */
  readonly dataDir?: string;
  /** A JSON config file declaring the organization, projects and service accounts. */
  readonly configPath?: string;
  /** A config object (instead of a file), e.g. in tests. */
  readonly config?: MpkitConfig;
  /** TLS certificate and key files: serve HTTPS (the node SDK refuses `/import` with a secret over http). */
  readonly tlsCertPath?: string;
  readonly tlsKeyPath?: string;
  /** Storage to use instead of DuckDB in `dataDir` (tests pass DuckDB `:memory:`). */
  readonly storage?: StorageAdapter;
  readonly limits?: Partial<ServerLimits>;
  readonly where?: WhereCompiler;
  readonly now?: () => number;
  /**
   * Worker threads that decode and validate `/import` bodies; 0 validates on the main thread.
   * @default one per core, at most 4
   */
  readonly ingestWorkers?: number;
}

/** A server that is built but not listening: the app, for in-process requests, and its resources. */
export interface MpkitServer {
  readonly app: Hono;
  readonly context: ServerContext;
  /** Clear-text credentials created on first start (only then). */
  readonly generated?: GeneratedCredentials | undefined;
  /** Flushes every acknowledged write and closes storage. */
  close(): Promise<void>;
}

/**
 * Builds the server: config, storage (migrated), the group-commit writer and the HTTP app.
 *
 * @example
 * ```ts
 * const server = await createMpkitServer({ config, storage: await DuckDbStorage.open() });
 * const res = await server.app.request("/track?data=...");
 * ```
 */
export async function createMpkitServer(options: ServerOptions = {}): Promise<MpkitServer> {
  const dataDir = options.dataDir ?? "./.mpkit";
  let config = options.config;
  let generated: GeneratedCredentials | undefined;
  if (config === undefined) {
    if (options.configPath !== undefined) config = readConfigFile(options.configPath);
    else ({ config, generated } = loadOrCreateDefaultConfig(dataDir));
  }
  const storage = options.storage ?? (await DuckDbStorage.open({ path: join(dataDir, "mpkit.duckdb") }));
  await storage.migrate();
  const writer = new Writer(storage);
  const importNormalizer = new ImportNormalizer(
    options.ingestWorkers ?? defaultIngestWorkers(availableParallelism()),
  );
  // Programmatic options win over the config file, which wins over the defaults.
  const limits = { ...defaultLimits, ...config.limits, ...options.limits };
  const context: ServerContext = {
    tenants: Tenants.fromConfig(config),
    storage,
    writer,
    importNormalizer,
    where: options.where ?? defaultWhereCompiler,
    queryEngine: new QueryEngine(storage),
    queryLimiter: new QueryLimiter(limits.query ?? {}),
    now: options.now ?? Date.now,
    limits,
  };
  const app = createApp(context);
  // Saved reports declared in the config, upserted by id so restarts do not duplicate them.
  await loadConfigReports(context.queryEngine.reports, config.projects, context.now());
  return {
    app,
    context,
    generated,
    async close() {
      await importNormalizer.close();
      await writer.close();
      await storage.close();
    },
  };
}

/** A listening server. */
export interface RunningServer extends MpkitServer {
  readonly url: string;
  readonly port: number;
  readonly http: ServerType;
  /** Stops accepting connections, finishes in-flight requests, flushes writes, closes storage. */
  stop(): Promise<void>;
}

/**
 * Builds and starts the server on HTTP or HTTPS.
 *
 * @example
 * ```ts
 * const server = await startServer({ port: 8080, dataDir: ".mpkit" });
 * console.log(server.url);
 * ```
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const built = await createMpkitServer(options);
  const tls = options.tlsCertPath !== undefined && options.tlsKeyPath !== undefined;
  const http = tls
    ? createAdaptorServer({
        fetch: built.app.fetch,
        createServer: createHttpsServer,
        serverOptions: {
          cert: readFileSync(options.tlsCertPath ?? ""),
          key: readFileSync(options.tlsKeyPath ?? ""),
          maxHeaderSize: MAX_HEADER_BYTES,
        },
      })
    : createAdaptorServer({ fetch: built.app.fetch, serverOptions: { maxHeaderSize: MAX_HEADER_BYTES } });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 8080, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let stopping: Promise<void> | undefined;
  return {
    ...built,
    http,
    port,
    url: `${tls ? "https" : "http"}://${urlHost}:${port}`,
    stop() {
      stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
          (http as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        });
        await built.close();
      })();
      return stopping;
    },
  };
}
