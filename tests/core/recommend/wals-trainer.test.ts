import { describe, expect, it } from "vitest";
import { predict } from "../../../core/recommend/mf-model.ts";
import { RatingIndex } from "../../../core/recommend/rating-index.ts";
import { trainWals, walsLoss } from "../../../core/recommend/wals-trainer.ts";
import { catalogOf } from "./fixture.ts";

// Two taste groups: users 1–6 like movies 1–4, users 7–12 like movies 5–8; users 3 and 9 also
// gave one low rating across the groups.
const triples: [number, number, number][] = [];
for (let u = 1; u <= 12; u++) {
  const first = u <= 6 ? 1 : 5;
  for (let m = first; m < first + 4; m++)
    if ((u + m) % 5 !== 0) triples.push([u, m, 0.8 + (m % 3) * 0.1]);
  if (u % 6 === 3) triples.push([u, u <= 6 ? 6 : 2, 0.2]);
}
const index = new RatingIndex(catalogOf(triples).ratings);
// Two factors for two groups: more would let the model memorise each user instead of the groups.
const options = { factors: 2, alpha: 10, lambda: 1 };

describe("WALS trainer", () => {
  it("lowers the implicit-feedback loss as iterations go on", async () => {
    const losses: number[] = [];
    for (const iterations of [1, 2, 5, 10]) {
      const model = await trainWals(index, { ...options, iterations, seed: 7 });
      losses.push(walsLoss(index, model, options));
    }
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1] as number);
  });

  it("predicts observed cells above unobserved ones", async () => {
    const model = await trainWals(index, { ...options, iterations: 10, seed: 7 });
    const observed = new Set(triples.map(([u, m]) => `${u}:${m}`));
    let seen = 0;
    let seenSum = 0;
    let crossGroup = 0;
    let crossGroupSum = 0;
    for (let u = 0; u < index.users.length; u++) {
      for (let i = 0; i < index.items.length; i++) {
        const score = predict(model, u, i);
        if (observed.has(`${index.users.ids[u]}:${index.items.ids[i]}`)) {
          seen++;
          seenSum += score;
        } else if (u < 6 === i >= 4) {
          crossGroup++;
          crossGroupSum += score;
        }
      }
    }
    expect(seenSum / seen).toBeGreaterThan(0.7);
    expect(crossGroupSum / crossGroup).toBeLessThan(0.4);
    // A group-1 user's unrated group-1 movie outscores every group-2 movie they never rated.
    const user1 = index.users.rowOf(1);
    const inGroup = predict(model, user1, index.items.rowOf(4));
    expect(inGroup).toBeGreaterThan(predict(model, user1, index.items.rowOf(7)));
    expect(inGroup).toBeGreaterThan(predict(model, user1, index.items.rowOf(8)));
  });

  it("is reproducible for a fixed seed", async () => {
    const a = await trainWals(index, { ...options, iterations: 3, seed: 1 });
    const b = await trainWals(index, { ...options, iterations: 3, seed: 1 });
    expect(a.items.factors).toEqual(b.items.factors);
    expect(a.users.ids).toEqual(index.users.ids);
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const training = trainWals(
      index,
      { ...options, iterations: 50 },
      {
        signal: controller.signal,
        onIteration: ({ iteration }) => {
          if (iteration === 2) controller.abort();
        },
      },
    );
    await expect(training).rejects.toThrow();
  });
});
