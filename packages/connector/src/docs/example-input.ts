import type { ActionDef } from "../catalog/define.js";
import type { Field } from "../schema.js";

function exampleValue(field: Field, name: string): unknown {
  if (field.example !== undefined) return field.example;
  switch (field.type) {
    case "string":
      return field.format === "date" ? "2024-01-01" : `example-${name}`;
    case "number":
      return 1;
    case "boolean":
      return true;
    case "enum":
      return field.values[0];
    case "array":
      return [exampleValue(field.items, name)];
    case "object":
    case "json":
      return { key: "value" };
    case "records":
      return [{ event: "Example", properties: { distinct_id: "user-1", time: 1704067200 } }];
  }
}

/**
 * A minimal valid input for an action: its required inputs (not those filled from the connection),
 * with their examples. Drives the docs' examples and the wire tests.
 * @example
 * exampleInput(findAction("segmentation")!); // { event: "Signed Up", from_date: "2024-01-01", to_date: "2024-01-31" }
 */
export function exampleInput(action: ActionDef): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(action.inputs)) {
    if (field.required && field.connection === undefined && field.default === undefined) {
      input[name] = exampleValue(field, name);
    }
  }
  return input;
}
