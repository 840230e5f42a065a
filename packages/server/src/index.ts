export { createApp } from "./app.js";
export { ConfigError, type GeneratedCredentials, parseConfig, readConfigFile } from "./config/load.js";
export { type MpkitConfig, ROLES, type Role } from "./config/schema.js";
export type { ServerContext, ServerLimits } from "./context.js";
export { loadSampleData } from "./demo/sample-data.js";
export {
  createMpkitServer,
  type MpkitServer,
  type RunningServer,
  type ServerOptions,
  startServer,
} from "./server.js";
