import { applyIdentity, type IdentityFacts, type NormalizedEvent } from "@mpkit/ingest";
import { type EventBatch, packEvents } from "@mpkit/storage";
import type { Project } from "../config/tenants.js";
import type { Writer } from "./writer.js";

/**
 * Stores one project's packed events and updates its identity clusters from `identity` (the events
 * among them that can change clusters) in the same group transaction; resolves once both are committed.
 */
export async function storeEventBatch(
  writer: Writer,
  project: Project,
  batch: EventBatch,
  identity: readonly IdentityFacts[],
): Promise<void> {
  if (batch.count === 0) return;
  await writer.submit(async (tx) => {
    await tx.insertEventBatch(project.id, batch);
    if (identity.length > 0) await applyIdentity(tx, project.id, project.identityMode, identity);
  });
}

/** {@link storeEventBatch} for validated events that are not packed yet. */
export async function storeEvents(
  writer: Writer,
  project: Project,
  events: readonly NormalizedEvent[],
): Promise<void> {
  await storeEventBatch(writer, project, packEvents(events), events);
}
