import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./servers.js";

/** A client of the plan: one `Mixpanel.init(token, config)`. */
export interface SdkClient {
  readonly token: string;
  readonly secret?: string;
  readonly serviceAccount?: {
    readonly username: string;
    readonly secret: string;
    readonly projectId: string;
  };
}

/** One SDK call: `client.<call>(...args, callback)`; `{"$date": ms}` in args becomes a `Date`. */
export interface SdkStep {
  readonly client: string;
  /** e.g. `track`, `import_batch`, `people.set`, `groups.delete_group`. */
  readonly call: string;
  readonly args: readonly unknown[];
}

export interface SdkPlan {
  /** `127.0.0.1:<port>`, passed to the SDK's `host` option. */
  readonly host: string;
  readonly protocol: "http" | "https";
  readonly clients: Readonly<Record<string, SdkClient>>;
  readonly steps: readonly SdkStep[];
}

export interface SdkStepResult {
  readonly call: string;
  readonly ok: boolean;
  readonly errors: readonly string[];
}

/** `{"$date": ms}`: a Date argument for the driver. */
export const date = (ms: number) => ({ $date: ms });

/**
 * Runs the plan through the official SDK in a child node process that trusts `caPath` through
 * `NODE_EXTRA_CA_CERTS` (read only at process start), and returns each call's outcome.
 */
export function runSdkPlan(plan: SdkPlan, dir: string, caPath?: string): Promise<SdkStepResult[]> {
  const planPath = join(dir, "sdk-plan.json");
  writeFileSync(planPath, JSON.stringify(plan));
  const driver = join(repoRoot, "test/e2e/support/sdk-driver.ts");
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (caPath !== undefined) env["NODE_EXTRA_CA_CERTS"] = caPath;
  // Neither a proxy (the SDK would route through it) nor a test runner's loader options.
  delete env["HTTPS_PROXY"];
  delete env["HTTP_PROXY"];
  delete env["NODE_OPTIONS"];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", driver, planPath],
      { cwd: repoRoot, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`SDK driver failed: ${error.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as SdkStepResult[]);
        } catch {
          reject(new Error(`SDK driver printed no results:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
