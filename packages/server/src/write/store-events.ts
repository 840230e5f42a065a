import { applyIdentity, type NormalizedEvent } from "@mpkit/ingest";
import type { Project } from "../config/tenants.js";
import type { Writer } from "./writer.js";

/**
 * Stores one project's events and updates its identity clusters in the same group transaction;
 * resolves once both are committed.
 */
export async function storeEvents(
  writer: Writer,
  project: Project,
  events: readonly NormalizedEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await writer.submit(async (tx) => {
    await tx.insertEvents(project.id, events);
    await applyIdentity(tx, project.id, project.identityMode, events);
  });
}
