/** Synthetic Mixpanel events for benchmarks: ~130-byte property objects, like the runtime notes' data. */
const NAMES = ["Page Viewed", "Signed Up", "Item Added", "Checkout", "Purchase", "Search", "Share", "Logout"];
const BROWSERS = ["Chrome", "Safari", "Firefox", "Edge"];
const COUNTRIES = ["US", "GB", "DE", "FR", "IN", "BR"];

export interface BenchEvent {
  event: string;
  properties: Record<string, unknown>;
}

/** Deterministic event `i` of a dataset spread over `days` days ending now. */
export function benchEvent(i: number, users: number, days: number, endMs: number): BenchEvent {
  const span = days * 86_400_000;
  return {
    event: NAMES[i % NAMES.length] as string,
    properties: {
      time: Math.floor(endMs - span + ((i * 7919) % span)),
      distinct_id: `user-${(i * 31) % users}`,
      $insert_id: `b-${i.toString(36)}`,
      $browser: BROWSERS[i % BROWSERS.length],
      mp_country_code: COUNTRIES[i % COUNTRIES.length],
      plan: i % 3 === 0 ? "pro" : "free",
      price: (i % 1000) / 10,
    },
  };
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * DuckDB SQL for row `i`'s property object in the benchmarks that generate their data in SQL: eight
 * mixed-type properties (strings, numbers, a boolean), ~130 bytes as JSON text.
 */
export const SYNTHETIC_PROPERTIES_SQL = `json_object('$os', ['iOS', 'Android', 'Windows', 'Mac'][1 + (i % 4)::INTEGER],
  'plan', ['free', 'pro', 'team'][1 + (i % 3)::INTEGER],
  'price', (i % 1000) / 10.0,
  'qty', i % 7,
  '$browser', ['Chrome', 'Safari', 'Firefox'][1 + (i % 3)::INTEGER],
  'country', ['US', 'GB', 'DE', 'FR', 'IN'][1 + (i % 5)::INTEGER],
  'signed_up', i % 2 = 0,
  'utm_source', 'campaign_' || (i % 50))`;
