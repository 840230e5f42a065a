export { asRecords, DecodeError, decodeData, parseJson, parseRecords } from "./decode.js";
export {
  type EventIdentity,
  type IdentityMode,
  type IngestContext,
  type NormalizedEvent,
  normalizeEvent,
  type ValidatedEvent,
  validateEvent,
  writeProperties,
} from "./event.js";
export { applyIdentity, carriesIdentity, type IdentityFacts, MAX_CLUSTER_SIZE } from "./identity.js";
export { dedupeKey, generateInsertId, isValidInsertId } from "./insert-id.js";
export {
  applyProfileUpdate,
  mixpanelDatetime,
  normalizeProfileUpdate,
  PROFILE_OPERATIONS,
  type ProfileOperation,
  type ProfileUpdate,
} from "./profile.js";
export { compareCodePoints, isObject, JsonText, LIMITS, serializeSorted } from "./properties.js";
export type { Rejection, StepResult } from "./results.js";
export { toEpochMs } from "./time.js";
