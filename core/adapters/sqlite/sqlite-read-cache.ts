import { LRUCache } from "lru-cache";
import type { SqliteDatabase } from "./sqlite-database.ts";

/**
 * Answers of reads on one SQLite connection, kept until anything could have changed them. A
 * member's /recommend reads their settings and their entries, two joins on every request although
 * they change only when the member clicks or a command saves; kept, they cost a map look-up and
 * one `PRAGMA data_version`.
 *
 * Never stale: the owner calls `clear()` after each of its own writes, and before any answer is
 * served from here `data_version` is read, which SQLite changes whenever another connection commits
 * to the file (the movie-night store's, a worker process, an admin script); a change drops
 * everything. Values are handed out as copies made by `copy`, so no caller can change a kept one.
 */
export class SqliteReadCache<V extends object> {
  private readonly values: LRUCache<string, V>;
  private readonly database: SqliteDatabase;
  private readonly copy: (value: V) => V;
  private version: number | undefined;

  /**
   * `maxSize` bounds what is kept by `size` (a member's entries count each), not by members alone:
   * a few members with thousands of marks must not hold the heap.
   */
  constructor(
    database: SqliteDatabase,
    options: { maxSize: number; size: (value: V) => number; copy: (value: V) => V },
  ) {
    this.database = database;
    this.values = new LRUCache({
      maxSize: options.maxSize,
      sizeCalculation: (value) => Math.max(1, options.size(value)),
    });
    this.copy = options.copy;
  }

  /** The kept answer for `key`, else `read()`'s, kept. */
  get(key: string, read: () => V): V {
    const version = this.database.dataVersion();
    if (version !== this.version) {
      this.values.clear();
      this.version = version;
    }
    let value = this.values.get(key);
    if (value === undefined) {
      value = read();
      this.values.set(key, value);
    }
    return this.copy(value);
  }

  /** After a write on the owner's connection, which `data_version` does not count. */
  clear(): void {
    this.values.clear();
  }
}
