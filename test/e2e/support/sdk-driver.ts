/**
 * Runs a plan of official `mixpanel` Node SDK calls in a process of its own and prints one result per
 * call as JSON. A separate process because the SDK builds its own `https.Agent` and takes no CA option:
 * the only way to make it trust our self-signed certificate is `NODE_EXTRA_CA_CERTS`, which Node reads
 * once, at process start. Run as `node --import tsx sdk-driver.ts plan.json`.
 */
import { readFileSync } from "node:fs";
import Mixpanel from "mixpanel";
import type { SdkPlan, SdkStepResult } from "./sdk.js";

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** `{"$date": ms}` in a plan stands for a `Date` (the SDK converts Dates itself, to milliseconds). */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const date = record["$date"];
    if (typeof date === "number" && Object.keys(record).length === 1) return new Date(date);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

type Fn = (...args: unknown[]) => void;

async function main(): Promise<void> {
  const planPath = process.argv[2];
  if (planPath === undefined) throw new Error("usage: sdk-driver.ts <plan.json>");
  const plan = JSON.parse(readFileSync(planPath, "utf8")) as SdkPlan;
  const clients = new Map<string, Mixpanel.Mixpanel>();
  for (const [name, c] of Object.entries(plan.clients)) {
    clients.set(
      name,
      Mixpanel.init(c.token, {
        // "host:port" is split by the SDK's set_config.
        host: plan.host,
        protocol: plan.protocol,
        ...(c.secret === undefined ? {} : { secret: c.secret }),
        ...(c.serviceAccount === undefined
          ? {}
          : {
              credentials: new Mixpanel.ServiceAccountCredentials(
                c.serviceAccount.username,
                c.serviceAccount.secret,
                c.serviceAccount.projectId,
              ),
            }),
        // The SDK asserts its logger has trace/debug/info/warn/error (utils.assert_logger).
        logger: silent,
      }),
    );
  }
  const results: SdkStepResult[] = [];
  for (const step of plan.steps) {
    const client = clients.get(step.client);
    if (client === undefined) throw new Error(`unknown client ${step.client}`);
    const path = step.call.split(".");
    const method = path.pop() ?? "";
    let target: unknown = client;
    for (const part of path) target = (target as Record<string, unknown>)[part];
    const fn = (target as Record<string, Fn>)[method];
    if (typeof fn !== "function") throw new Error(`not an SDK method: ${step.call}`);
    const outcome = await new Promise<SdkStepResult>((resolve) => {
      // Some SDK methods silently drop invalid arguments without calling back.
      const timer = setTimeout(
        () => resolve({ call: step.call, ok: false, errors: ["no callback in 15 s"] }),
        15_000,
      );
      const callback = (err: unknown) => {
        clearTimeout(timer);
        // track/import call back with one Error; the batch methods with an array of them or null.
        const list = err === undefined || err === null ? [] : Array.isArray(err) ? err : [err];
        resolve({ call: step.call, ok: list.length === 0, errors: list.map((e) => String(e)) });
      };
      try {
        fn.apply(target, [...(revive(step.args) as unknown[]), callback]);
      } catch (error) {
        clearTimeout(timer);
        resolve({ call: step.call, ok: false, errors: [`threw: ${(error as Error).message}`] });
      }
    });
    results.push(outcome);
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().then(
  // The SDK's keep-alive agents would hold the process open.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
