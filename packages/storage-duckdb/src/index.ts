export { DuckDbStorage, type DuckDbStorageOptions } from "./adapter.js";
