import { ValidationError } from "./errors.js";
import type { Field, Inputs } from "./schema.js";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

function isRecordSource(value: unknown): boolean {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== "object") return false;
  return Symbol.iterator in value || Symbol.asyncIterator in value;
}

/** Checks one value against its field; returns an error message or undefined. */
export function checkField(field: Field, value: unknown, path: string): string | undefined {
  switch (field.type) {
    case "string":
      return typeof value === "string" ? undefined : `${path} must be a string, got ${describe(value)}`;
    case "number":
      if (typeof value !== "number" || Number.isNaN(value))
        return `${path} must be a number, got ${describe(value)}`;
      return field.integer && !Number.isInteger(value) ? `${path} must be an integer` : undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : `${path} must be a boolean, got ${describe(value)}`;
    case "enum":
      return field.values.includes(value as string | number)
        ? undefined
        : `${path} must be one of ${field.values.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(value)}`;
    case "array": {
      if (!Array.isArray(value)) return `${path} must be an array, got ${describe(value)}`;
      for (const [index, item] of value.entries()) {
        const problem = checkField(field.items, item, `${path}[${index}]`);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return `${path} must be an object, got ${describe(value)}`;
      }
      return field.properties === undefined
        ? undefined
        : checkObject(field.properties, value as Record<string, unknown>, path);
    }
    case "records":
      return isRecordSource(value) ? undefined : `${path} must be an array or (async) iterable of objects`;
    case "json":
      return undefined;
  }
}

function checkObject(schema: Inputs, value: Record<string, unknown>, prefix: string): string | undefined {
  for (const key of Object.keys(value)) {
    if (!(key in schema) && value[key] !== undefined) {
      return `Unknown input "${prefix === "" ? key : `${prefix}.${key}`}"; expected one of: ${Object.keys(schema).join(", ")}`;
    }
  }
  for (const [key, field] of Object.entries(schema)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const inner = value[key];
    if (inner === undefined) continue;
    const problem = checkField(field, inner, path);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Validates an action's input once, at the boundary: unknown keys are rejected by name (stripe's
 * `ALLOWED_CONFIG_PROPERTIES` idea), types and enum values are checked, and defaults are applied.
 * Required-ness is checked later, after connection values are filled in.
 */
export function validateInput(schema: Inputs, input: unknown, action: string): Record<string, unknown> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== "object" || Array.isArray(input)) {
    throw new ValidationError(`${action}: input must be an object`);
  }
  const problem = checkObject(schema, input as Record<string, unknown>, "");
  if (problem !== undefined) throw new ValidationError(`${action}: ${problem}`);
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    const value = (input as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
    else if (field.default !== undefined) out[key] = field.default;
  }
  return out;
}

/** Throws when a required field is still missing (after defaults and connection values). */
export function checkRequired(schema: Inputs, input: Record<string, unknown>, action: string): void {
  for (const [key, field] of Object.entries(schema)) {
    if (field.required && input[key] === undefined) {
      const hint =
        field.connection === undefined ? "" : ` (or set it on the connection: ${field.connection})`;
      throw new ValidationError(`${action}: missing required input "${key}"${hint}`);
    }
  }
}
