import {
  type NormalizedEvent,
  normalizeEvent,
  normalizeProfileUpdate,
  type ProfileUpdate,
} from "@mpkit/ingest";
import { sql } from "@mpkit/sql";
import type { Project } from "../config/tenants.js";
import type { ServerContext } from "../context.js";
import { storeEvents } from "../write/store-events.js";
import { storeProfileUpdates } from "../write/store-profiles.js";

/** A small deterministic PRNG (mulberry32), so the demo data is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUNNEL = ["Page Viewed", "Signed Up", "Item Added to Cart", "Checkout Started", "Purchase Completed"];
const BROWSERS = ["Chrome", "Safari", "Firefox", "Edge"];
const COUNTRIES = ["US", "GB", "DE", "FR", "IN", "BR"];
const PLANS = ["free", "pro", "enterprise"];

/**
 * Loads sample data into an empty project: 30 days of a shop's funnel for 2000 users (about 20k events)
 * with browser, country, plan and price properties, plus their profiles. Returns the number of events
 * loaded (0 when the project already had events).
 */
export async function loadSampleData(
  ctx: ServerContext,
  project: Project,
  days = 30,
  users = 2000,
): Promise<number> {
  const existing = await ctx.storage.query(
    sql`SELECT count(*)::INTEGER AS n FROM events WHERE project_id = ${project.id}`,
  );
  if (Number(existing[0]?.["n"] ?? 0) > 0) return 0;
  const rand = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const now = ctx.now();
  const start = now - days * 86_400_000;
  const raw: unknown[] = [];
  const profiles: unknown[] = [];
  for (let u = 0; u < users; u++) {
    const id = `user-${u + 1}`;
    const browser = pick(BROWSERS);
    const country = pick(COUNTRIES);
    const plan = pick(PLANS);
    profiles.push({
      $token: project.token,
      $distinct_id: id,
      $ignore_time: true,
      $set: { $name: `User ${u + 1}`, $email: `user${u + 1}@example.com`, plan, country },
    });
    const sessions = 1 + Math.floor(rand() * 8);
    for (let s = 0; s < sessions; s++) {
      let t = start + rand() * (now - start - 3_600_000);
      for (const [step, name] of FUNNEL.entries()) {
        if (step > 0 && rand() > 0.6) break;
        t += 30_000 + rand() * 600_000;
        raw.push({
          event: name,
          properties: {
            time: Math.floor(t),
            distinct_id: id,
            $insert_id: `demo-${u}-${s}-${step}`,
            $browser: browser,
            mp_country_code: country,
            plan,
            ...(name === "Purchase Completed" ? { price: Math.round(rand() * 20000) / 100 } : {}),
          },
        });
      }
    }
  }
  const events: NormalizedEvent[] = [];
  for (const r of raw) {
    const n = normalizeEvent(r, {
      endpoint: "import",
      strict: true,
      identityMode: project.identityMode,
      receivedAtMs: now,
      apiHost: "demo",
    });
    if (n.kind === "ok") events.push(n.value);
  }
  for (let i = 0; i < events.length; i += 2000)
    await storeEvents(ctx.writer, project, events.slice(i, i + 2000));
  const updates: ProfileUpdate[] = [];
  for (const p of profiles) {
    const n = normalizeProfileUpdate(p, "user");
    if (n.kind === "ok") updates.push(n.value.update);
  }
  await storeProfileUpdates(ctx.writer, project, updates, now);
  return events.length;
}
