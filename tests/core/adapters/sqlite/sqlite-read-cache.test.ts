import { expect, it } from "vitest";
import { SqliteDatabase } from "../../../../core/adapters/sqlite/sqlite-database.ts";
import { SqliteReadCache } from "../../../../core/adapters/sqlite/sqlite-read-cache.ts";

// The bound is by size, so one member with thousands of marks cannot hold the heap; what does
// not fit is read again each time, never answered wrong.
it("answers what is too big to keep by reading it again, and keeps what fits", () => {
  const database = SqliteDatabase.open(":memory:", "a test database");
  try {
    const cache = new SqliteReadCache<number[]>(database, {
      maxSize: 10,
      size: (list) => list.length,
      copy: (list) => [...list],
    });
    let reads = 0;
    const big = () => {
      reads++;
      return Array.from({ length: 50 }, (_, i) => i);
    };
    expect(cache.get("big", big)).toHaveLength(50);
    expect(cache.get("big", big)).toHaveLength(50);
    expect(reads).toBe(2);
    const small = () => {
      reads++;
      return [1, 2, 3];
    };
    expect(cache.get("small", small)).toEqual([1, 2, 3]);
    expect(cache.get("small", small)).toEqual([1, 2, 3]);
    expect(reads).toBe(3);
  } finally {
    database.close();
  }
});
