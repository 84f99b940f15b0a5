import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deserializeItemNeighbours,
  type ItemNeighbourTable,
  serializeItemNeighbours,
} from "../../../../core/recommend/item-neighbours.ts";
import {
  LocalRecommender,
  type LocalRecommenderOptions,
  type RecommenderProgress,
} from "../../../../core/recommend/local-recommender.ts";
import { catalogOf, SIMILAR_USERS_FIXTURE } from "../../recommend/fixture.ts";

const base = {
  strategy: "reference",
  k: 3,
  factors: 3,
  alpha: 10,
  lambda: 0.1,
  iterations: 3,
} as const;

async function create(
  cacheDir: string,
  changes: Partial<LocalRecommenderOptions> = {},
  checksum = "data-v1",
) {
  const events: RecommenderProgress["phase"][] = [];
  const recommender = await LocalRecommender.create(catalogOf(SIMILAR_USERS_FIXTURE, checksum), {
    ...base,
    cacheDir,
    ...changes,
    onProgress: (e) => events.push(e.phase),
  });
  return { recommender, events, trained: events.includes("train") };
}

const freshDir = () => mkdtempSync(join(tmpdir(), "model-cache-"));

describe("model cache", () => {
  it("trains and saves once, then loads from disk without training", async () => {
    const dir = freshDir();
    const first = await create(dir);
    expect(first.trained).toBe(true);
    expect(first.events).toContain("saved");
    const second = await create(dir);
    expect(second.trained).toBe(false);
    expect(second.events).toEqual(["cache-hit"]);
    // Same model, same answers.
    expect(await second.recommender.recommend([1, 2], 3)).toEqual(
      await first.recommender.recommend([1, 2], 3),
    );
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("retrains when the data checksum or a training option changes", async () => {
    const dir = freshDir();
    await create(dir);
    expect((await create(dir, {}, "data-v2")).trained).toBe(true);
    expect((await create(dir, { factors: 4 })).trained).toBe(true);
    expect((await create(dir, { alpha: 20 })).trained).toBe(true);
    // Serving-only options share the model.
    expect((await create(dir, { k: 5 })).trained).toBe(false);
  });

  it("the neighbours strategy neither trains nor reads a model", async () => {
    const dir = freshDir();
    const { recommender, events } = await create(dir, { strategy: "neighbours" });
    expect(events).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    expect((await recommender.recommend([1, 2], 2)).strategy).toBe("personalized");
  });

  it("the default strategy builds its item-neighbour table once, then reads it; never a model", async () => {
    const dir = freshDir();
    const first = await create(dir, { strategy: "default" });
    expect(first.events).toEqual(["items-built", "items-saved"]);
    expect(readdirSync(dir)).toHaveLength(1);
    const again = await create(dir, { strategy: "default" });
    expect(again.events).toEqual(["items-cache-hit"]);
    expect(await again.recommender.recommend([1, 2], 3)).toEqual(
      await first.recommender.recommend([1, 2], 3),
    );
    // Other data, other table.
    expect((await create(dir, { strategy: "default" }, "data-v2")).events).toEqual([
      "items-built",
      "items-saved",
    ]);
    for (const file of readdirSync(dir)) writeFileSync(join(dir, file), "not a table");
    const rebuilt = await create(dir, { strategy: "default" });
    expect(rebuilt.events[0]).toBe("items-built");
    // A snapshot's table (plain typed arrays) needs neither the cache nor a build.
    const table = deserializeItemNeighbours(
      serializeItemNeighbours(rebuilt.recommender.itemTable as ItemNeighbourTable),
    ) as ItemNeighbourTable;
    const snapshot = await create(freshDir(), { strategy: "default", itemTable: table });
    expect(snapshot.events).toEqual([]);
    expect(await snapshot.recommender.recommend([1, 2], 3)).toEqual(
      await first.recommender.recommend([1, 2], 3),
    );
  });

  it("retrains instead of crashing on a corrupt or truncated file", async () => {
    const dir = freshDir();
    await create(dir);
    const [file] = readdirSync(dir);
    const path = join(dir, file as string);
    const bytes = readFileSync(path);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] as number) ^ 0xff;
    writeFileSync(path, bytes);
    expect((await create(dir)).trained).toBe(true);
    writeFileSync(path, readFileSync(path).subarray(0, 100));
    expect((await create(dir)).trained).toBe(true);
    writeFileSync(path, "not a model");
    const again = await create(dir);
    expect(again.trained).toBe(true);
    expect((await again.recommender.recommend([1], 2)).items).toHaveLength(2);
    expect((await create(dir)).trained).toBe(false);
  });

  it("still serves when the cache directory cannot be written", async () => {
    const dir = freshDir();
    const blocker = join(dir, "file");
    writeFileSync(blocker, "x");
    const { recommender, events } = await create(join(blocker, "cache"));
    expect(events).toContain("cache-write-failed");
    expect((await recommender.recommend([1], 2)).items).toHaveLength(2);
  });
});
