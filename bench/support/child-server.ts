/**
 * Runs an mpkit server in its own process for benchmarks, so the load generator does not share its
 * event loop. Prints `READY <port>` and serves until SIGTERM. Config and data dir come from argv.
 */
import { readConfigFile, startServer } from "@mpkit/server";

const [configPath, dataDir] = process.argv.slice(2);
if (configPath === undefined || dataDir === undefined)
  throw new Error("usage: child-server <config> <dataDir>");
const workers = process.env["BENCH_INGEST_WORKERS"];
const server = await startServer({
  port: 0,
  dataDir,
  config: readConfigFile(configPath),
  ...(workers === undefined ? {} : { ingestWorkers: Number(workers) }),
});
process.stdout.write(`READY ${server.port}\n`);
process.once("SIGTERM", () => {
  server.stop().then(
    () => {
      const usage = process.resourceUsage();
      process.stdout.write(`PEAK_RSS_MB ${Math.round(usage.maxRSS / 1024)}\n`);
      process.stdout.write(`CPU_S ${((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1)}\n`);
      process.exit(0);
    },
    () => process.exit(1),
  );
});
