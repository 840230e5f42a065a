import { applyProfileUpdate, type ProfileUpdate } from "@mpkit/ingest";
import type { ProfileKey, ProfileRecord } from "@mpkit/storage";
import type { Project } from "../config/tenants.js";
import type { Writer } from "./writer.js";

const keyOf = (k: ProfileKey) => `${k.groupKey}\u0000${k.id}`;

/**
 * Applies profile updates in order inside one group transaction. With Original ID Merge a user update
 * sent to an alias lands on the cluster's profile unless `$ignore_alias` is set; with Simplified ID
 * Merge profiles stay where they were written (`$device:` profiles are not carried over).
 */
export async function storeProfileUpdates(
  writer: Writer,
  project: Project,
  updates: readonly ProfileUpdate[],
  nowMs: number,
): Promise<void> {
  if (updates.length === 0) return;
  await writer.submit(async (tx) => {
    let resolved = updates;
    if (project.identityMode === "original") {
      const ids = updates.filter((u) => u.key.groupKey === "" && !u.ignoreAlias).map((u) => u.key.id);
      const canonical = await tx.getCanonicalIds(project.id, [...new Set(ids)]);
      resolved = updates.map((u) => {
        const to = u.key.groupKey === "" && !u.ignoreAlias ? canonical.get(u.key.id) : undefined;
        return to === undefined ? u : { ...u, key: { groupKey: "", id: to } };
      });
    }
    const keys = new Map<string, ProfileKey>();
    for (const u of resolved) keys.set(keyOf(u.key), u.key);
    const current = new Map<string, Record<string, unknown> | null>();
    for (const p of await tx.getProfiles(project.id, [...keys.values()])) current.set(keyOf(p), p.properties);
    for (const u of resolved) {
      const k = keyOf(u.key);
      current.set(k, applyProfileUpdate(current.get(k) ?? undefined, u, nowMs));
    }
    const puts: ProfileRecord[] = [];
    const deletes: ProfileKey[] = [];
    for (const [k, props] of current) {
      const key = keys.get(k);
      if (key === undefined) continue;
      if (props === null) deletes.push(key);
      else puts.push({ ...key, properties: props });
    }
    await tx.deleteProfiles(project.id, deletes);
    await tx.putProfiles(project.id, puts);
  });
}
