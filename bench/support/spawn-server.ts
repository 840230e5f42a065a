import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const benchConfig = {
  organization: { id: 1, name: "Bench" },
  projects: [{ id: 1, name: "Bench", token: "tok_bench", apiSecret: "sec_bench", timezone: "UTC" }],
  serviceAccounts: [{ username: "bench", secret: "bench-secret", projects: [{ id: 1, role: "owner" }] }],
};

export const benchAuth = `Basic ${Buffer.from("bench:bench-secret").toString("base64")}`;

/** Starts the server in a child process and resolves with its base URL. */
export async function spawnServer(dir: string): Promise<{
  url: string;
  child: ChildProcess;
  stop(): Promise<number | undefined>;
  cpuSeconds(): number | undefined;
}> {
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, "config.json");
  writeFileSync(configPath, JSON.stringify(benchConfig));
  const child = spawn(
    process.execPath,
    [
      ...(process.env["BENCH_CPU_PROF"] ? ["--cpu-prof", "--cpu-prof-dir=/tmp/srvprof"] : []),
      // e.g. BENCH_SERVER_FLAGS=--perf-basic-prof, for `perf record` on the server.
      ...(process.env["BENCH_SERVER_FLAGS"]?.split(" ").filter((f) => f !== "") ?? []),
      "--conditions=source",
      "--import",
      "tsx",
      join(import.meta.dirname, "child-server.ts"),
      configPath,
      join(dir, "data"),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    /** Stops the server; resolves with its peak RSS in MB. */
    stop: () =>
      new Promise<number | undefined>((resolve) => {
        child.once("exit", () => {
          const m = /PEAK_RSS_MB (\d+)/.exec(out);
          resolve(m === null ? undefined : Number(m[1]));
        });
        child.kill("SIGTERM");
      }),
    /** The server's user + system CPU seconds, known once it has stopped. */
    cpuSeconds: () => {
      const m = /CPU_S ([\d.]+)/.exec(out);
      return m === null ? undefined : Number(m[1]);
    },
  };
}
