import type { Sql } from "@mpkit/sql";
import type { EventColumns } from "@mpkit/storage";

/**
 * Turns an expression-language `where` into SQL over an adapter's event columns. Throws an error with
 * a client-safe message on a bad expression.
 */
export type WhereCompiler = (expression: string, timezone: string) => (columns: EventColumns) => Sql;
