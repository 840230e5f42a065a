/**
 * The built CLI, as a user runs it after `npm ci` (whose `prepare` script runs `tsc -b`): `npx mpkit`
 * resolves the workspace's bin link, and `node packages/cli/bin/mpkit.js` is what that link runs.
 */
import { execFile } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { assertCliBuilt, cliBin, repoRoot } from "./support/servers.js";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: repoRoot, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  assertCliBuilt();
});

describe("mpkit CLI", () => {
  it("npx mpkit --help prints usage and exits 0", async () => {
    // --no-install: use the workspace's own bin link, never fetch a package called mpkit.
    const r = await run("npx", ["--no-install", "mpkit", "--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/usage: mpkit/i);
    expect(r.stdout).toMatch(/serve/);
  });

  it("mpkit serve --help prints the serve options and exits 0", async () => {
    const r = await run(process.execPath, [cliBin, "serve", "--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Usage: mpkit serve/);
    for (const flag of ["--port", "--host", "--data-dir", "--config", "--tls-cert", "--tls-key"]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).toMatch(/SIGTERM/);
  });

  it("mpkit serve rejects an unknown flag with exit code 2 and the usage", async () => {
    const r = await run(process.execPath, [cliBin, "serve", "--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-flag/);
    expect(r.stderr).toMatch(/Usage: mpkit serve/);
  });
});
