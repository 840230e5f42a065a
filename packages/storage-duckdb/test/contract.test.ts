import { storageContract } from "@mpkit/storage/testing";
import { DuckDbStorage } from "../src/index.js";

storageContract("duckdb (:memory:)", () => DuckDbStorage.open({ path: ":memory:" }));
