import { join } from "node:path";
import type { Config } from "../config.ts";

/** Where the start-up snapshot lives: derived from the data, so beside the other derived files. */
export function snapshotPath(config: Config): string {
  return join(config.CACHE_DIR, "snapshot.bin");
}
