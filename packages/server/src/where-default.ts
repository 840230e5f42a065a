import type { WhereCompiler } from "./where.js";

/** Used until the expression language is wired in: a clear 400 instead of a silently ignored filter. */
export const defaultWhereCompiler: WhereCompiler = () => {
  throw new Error("'where' filters are not supported by this server yet");
};
