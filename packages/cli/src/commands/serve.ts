/**
 * `mpkit serve`: runs the Mixpanel-compatible server. Owned by the server work; the CLI entry point
 * dispatches `serve` here.
 */
export const serveCommand = {
  name: "serve",
  summary: "Run the Mixpanel-compatible analytics server (embedded DuckDB)",
  async run(_argv: readonly string[]): Promise<number> {
    throw new Error("mpkit serve is being built");
  },
};
