import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "@mpkit/server";
import { e2eConfig } from "./config.js";
import type { TestCert } from "./tls.js";

/** The repository root (this file is test/e2e/support/servers.ts). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** A temporary directory and its removal. */
export function tempDir(prefix: string): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `mpkit-e2e-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A real server in this process: a real socket on a free port, DuckDB in a file under `dataDir`, the
 * e2e config, HTTPS when a certificate is given.
 */
export function startInProcess(dataDir: string, cert?: TestCert): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: "127.0.0.1",
    dataDir,
    config: e2eConfig,
    tlsCertPath: cert?.certPath,
    tlsKeyPath: cert?.keyPath,
  });
}

/** The built CLI entry point, as `npx mpkit` runs it. */
export const cliBin = join(repoRoot, "packages/cli/bin/mpkit.js");

/** Fails with the fix when the CLI has not been built (scripts/test.sh runs `tsc -b` before vitest). */
export function assertCliBuilt(): void {
  if (!existsSync(join(repoRoot, "packages/cli/dist/index.js"))) {
    throw new Error("packages/cli/dist is missing: run `npx tsc -b` at the repository root first");
  }
}

/** `mpkit serve` running as a child process. */
export interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the child printed so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code and signal once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node packages/cli/bin/mpkit.js serve --port 0 ...` (the built CLI, exactly what `npx mpkit`
 * runs) and resolves once it prints the address it listens on.
 */
export async function spawnServer(dataDir: string): Promise<ChildServer> {
  assertCliBuilt();
  const configPath = join(dataDir, "e2e-config.json");
  if (!existsSync(configPath)) writeFileSync(configPath, JSON.stringify(e2eConfig));
  const child = spawn(
    process.execPath,
    [cliBin, "serve", "--port", "0", "--host", "127.0.0.1", "--data-dir", dataDir, "--config", configPath],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mpkit serve did not start in 30 s:\n${out}`)), 30_000);
    const onData = () => {
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve(m[1]);
      }
    };
    child.stdout?.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`mpkit serve exited early (code ${code}, signal ${signal}):\n${out}`));
    });
  });
  return {
    url,
    process: child,
    output: () => out,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
