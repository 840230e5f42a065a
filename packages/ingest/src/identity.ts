import type { IdentityLink, WriteTransaction } from "@mpkit/storage";
import type { IdentityMode, NormalizedEvent } from "./event.js";

/** Mixpanel's Original ID Merge caps a cluster at 500 distinct ids. */
export const MAX_CLUSTER_SIZE = 500;

const DEVICE_PREFIX = "$device:";

/** What identity resolution reads from an event. */
export type IdentityFacts = Pick<NormalizedEvent, "event" | "distinctId" | "identity">;

/**
 * True when the event can change identity clusters in this mode, so a batch can carry only those
 * events to {@link applyIdentity} (the server's ingest workers send no others back).
 */
export function carriesIdentity(mode: IdentityMode, e: IdentityFacts): boolean {
  if (mode === "simplified") return e.identity.deviceId !== undefined && e.identity.userId !== undefined;
  return e.event === "$identify" || e.event === "$create_alias" || e.event === "$merge";
}

/**
 * Updates identity clusters from a batch of stored events, inside the write transaction, so every later
 * read resolves the merged ids retroactively, as Mixpanel does.
 *
 * - Simplified ID Merge: an event carrying both `$device_id` and `$user_id` links `$device:<id>` to the
 *   user. Each device joins at most one user; the canonical id is always the `$user_id`.
 * - Original ID Merge: `$identify` (`$anon_distinct_id` → `distinct_id`), `$create_alias`
 *   (`alias` → `distinct_id`) and `$merge` (`$distinct_ids`) merge clusters of at most 500 ids.
 */
export async function applyIdentity(
  tx: WriteTransaction,
  projectId: number,
  mode: IdentityMode,
  events: readonly IdentityFacts[],
): Promise<void> {
  if (mode === "simplified") await linkDevices(tx, projectId, events);
  else {
    for (const e of events) {
      const pair = originalPair(e);
      if (pair !== undefined) await merge(tx, projectId, pair[0], pair[1], pair[2]);
    }
  }
}

async function linkDevices(tx: WriteTransaction, projectId: number, events: readonly IdentityFacts[]) {
  const wanted = new Map<string, string>();
  for (const e of events) {
    const { deviceId, userId } = e.identity;
    if (deviceId === undefined || userId === undefined) continue;
    const key = DEVICE_PREFIX + deviceId;
    // The first user a device is seen with wins, within the batch as across batches.
    if (!wanted.has(key)) wanted.set(key, userId);
  }
  if (wanted.size === 0) return;
  const existing = await tx.getCanonicalIds(projectId, [...wanted.keys()]);
  const links: IdentityLink[] = [];
  for (const [distinctId, canonicalId] of wanted) {
    if (!existing.has(distinctId)) links.push({ distinctId, canonicalId });
  }
  await tx.putIdentityLinks(projectId, links);
}

/** [surviving id, absorbed id, kind] for the Original-mode identity events. */
function originalPair(e: IdentityFacts): [string, string, "identify" | "alias" | "merge"] | undefined {
  const { anonId, alias, mergeIds } = e.identity;
  if (e.event === "$identify" && anonId !== undefined && anonId !== e.distinctId && e.distinctId !== "") {
    return [e.distinctId, anonId, "identify"];
  }
  if (e.event === "$create_alias" && alias !== undefined && alias !== e.distinctId && e.distinctId !== "") {
    return [e.distinctId, alias, "alias"];
  }
  if (e.event === "$merge" && mergeIds !== undefined && mergeIds[0] !== mergeIds[1]) {
    return [mergeIds[0], mergeIds[1], "merge"];
  }
  return undefined;
}

async function merge(
  tx: WriteTransaction,
  projectId: number,
  keep: string,
  absorb: string,
  kind: "identify" | "alias" | "merge",
): Promise<void> {
  const known = await tx.getCanonicalIds(projectId, [keep, absorb]);
  const target = known.get(keep) ?? keep;
  const source = known.get(absorb) ?? absorb;
  if (target === source) return;
  // $identify only merges an anonymous id that is not already part of another identified cluster, and
  // an alias can point at one distinct id only (Original ID Merge docs); $merge joins any two clusters.
  if (kind !== "merge" && known.has(absorb)) return;
  const members = await tx.getClusterMembers(projectId, [target, source]);
  const ids = new Set<string>([target, source, keep, absorb]);
  for (const m of members) ids.add(m.distinctId);
  if (ids.size > MAX_CLUSTER_SIZE) return;
  await tx.putIdentityLinks(
    projectId,
    [...ids].map((distinctId) => ({ distinctId, canonicalId: target })),
  );
}
