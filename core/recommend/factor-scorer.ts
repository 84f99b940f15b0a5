import type { MatrixFactorizationModel } from "./mf-model.ts";
import { IdRows } from "./rating-index.ts";

/**
 * Serving-side view of a matrix-factorization model: id lookups, item norms and the scoring
 * primitives both strategies use. Works the same for a locally trained model and an ML.WEIGHTS
 * export, whose rows may come in any order.
 */
export class FactorScorer {
  readonly model: MatrixFactorizationModel;
  readonly users: IdRows;
  readonly items: IdRows;
  private readonly itemNorms: Float32Array;

  constructor(model: MatrixFactorizationModel) {
    this.model = model;
    this.users = new IdRows(model.users.ids);
    this.items = new IdRows(model.items.ids);
    const f = model.dim;
    const Y = model.items.factors;
    this.itemNorms = new Float32Array(this.items.length);
    for (let i = 0; i < this.items.length; i++) {
      let s = 0;
      for (let a = 0; a < f; a++) s += (Y[i * f + a] as number) ** 2;
      this.itemNorms[i] = Math.sqrt(s);
    }
  }

  /** Mean of the given users' factor vectors and intercepts (rows of the model's user table). */
  meanUser(userRows: readonly number[]): { vector: Float64Array; intercept: number } {
    const f = this.model.dim;
    const X = this.model.users.factors;
    const vector = new Float64Array(f);
    let intercept = 0;
    for (const u of userRows) {
      for (let a = 0; a < f; a++) vector[a] = (vector[a] as number) + (X[u * f + a] as number);
      intercept += this.model.users.intercepts[u] as number;
    }
    const n = Math.max(1, userRows.length);
    for (let a = 0; a < f; a++) vector[a] = (vector[a] as number) / n;
    return { vector, intercept: intercept / n };
  }

  /**
   * Predicted score of every item for a user vector: global + user + item intercepts + x·y_i.
   * Averaging predictions over users equals predicting for their mean vector (it is linear), so
   * the reference method's aggregation costs one pass over the items, not k.
   */
  scoreAll(vector: Float64Array, userIntercept: number): Float64Array {
    const f = this.model.dim;
    const Y = this.model.items.factors;
    const b = this.model.items.intercepts;
    const base = this.model.globalIntercept + userIntercept;
    const out = new Float64Array(this.items.length);
    for (let i = 0; i < out.length; i++) {
      let dot = 0;
      const o = i * f;
      for (let a = 0; a < f; a++) dot += (vector[a] as number) * (Y[o + a] as number);
      out[i] = base + (b[i] as number) + dot;
    }
    return out;
  }

  /** Cosine similarity of two items' factor vectors (model rows). */
  itemCosine(i: number, j: number): number {
    const f = this.model.dim;
    const Y = this.model.items.factors;
    const denom = (this.itemNorms[i] as number) * (this.itemNorms[j] as number);
    if (denom === 0) return 0;
    let dot = 0;
    for (let a = 0; a < f; a++) dot += (Y[i * f + a] as number) * (Y[j * f + a] as number);
    return dot / denom;
  }
}
