/**
 * `npm run bench [-- <name>...] [--events N]`: runs the benchmarks and prints their results. Each
 * benchmark measures its own baseline in the same run and prints the ratio.
 */
import { parseArgs } from "node:util";

interface Bench {
  run(opts: { events: number }): Promise<{ name: string; lines: string[] }>;
}

const benches: Record<string, { load: () => Promise<Bench>; events: number }> = {
  query: { load: () => import("./query.js"), events: 10_000_000 },
  "ingest-export": { load: () => import("./ingest-export.js"), events: 1_000_000 },
  "connector-import": { load: () => import("./connector-import.js"), events: 1_000_000 },
  "expr-where": { load: () => import("./expr-where.js"), events: 10_000_000 },
  jql: { load: () => import("./jql.js"), events: 10_000_000 },
};

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { events: { type: "string" } },
});
const names = positionals.length > 0 ? positionals : Object.keys(benches);
for (const name of names) {
  const bench = benches[name];
  if (bench === undefined)
    throw new Error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(", ")}`);
  const events = values.events === undefined ? bench.events : Number(values.events);
  const mod = await bench.load();
  const result = await mod.run({ events });
  console.log(`\n## ${result.name}`);
  for (const line of result.lines) console.log(`  ${line}`);
}
