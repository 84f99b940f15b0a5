import type { MatrixFactorizationModel } from "./mf-model.ts";
import type { RatingIndex, SparseRows } from "./rating-index.ts";

export interface WalsOptions {
  factors: number;
  /** Confidence c = 1 + alpha * rating_im (Hu, Koren & Volinsky 2008; BigQuery ML's WALS_ALPHA). */
  alpha: number;
  /** L2 regularization on every factor vector (BigQuery ML's L2_REG). */
  lambda: number;
  /** Alternating sweeps (users then items); BigQuery ML's MAX_ITERATIONS. */
  iterations: number;
  /** Conjugate-gradient steps per row and sweep (Takács et al. 2011); 3 is the usual choice. */
  cgSteps?: number;
  seed?: number;
}

export interface TrainProgress {
  iteration: number;
  iterations: number;
}

export interface TrainHooks {
  signal?: AbortSignal;
  onIteration?: (progress: TrainProgress) => void;
}

/**
 * Implicit-feedback matrix factorization by weighted alternating least squares, the model BigQuery ML
 * trains for FEEDBACK_TYPE = 'IMPLICIT': minimise
 *   Σ_{u,i} c_ui (p_ui − x_u·y_i)² + λ (Σ‖x_u‖² + Σ‖y_i‖²)
 * with p_ui = 1 and c_ui = 1 + α r_ui for observed ratings, p_ui = 0 and c_ui = 1 otherwise.
 *
 * Each row is solved by a few warm-started conjugate-gradient steps instead of a Cholesky solve:
 * with the Y^T Y precompute the unobserved cells cost O(f²) per row, and each step costs
 * O(nnz_row · f), so a sweep is O(nnz · f + rows · f²) — what keeps ml-25m trainable in-process.
 */
export async function trainWals(
  index: RatingIndex,
  options: WalsOptions,
  hooks: TrainHooks = {},
): Promise<MatrixFactorizationModel> {
  const f = options.factors;
  const random = mulberry32(options.seed ?? 42);
  // Small random init, as the implicit library does; scale keeps early dot products near 0.
  const init = (n: number) => {
    const out = new Float32Array(n * f);
    for (let i = 0; i < out.length; i++) out[i] = (random() - 0.5) * 0.02;
    return out;
  };
  const X = init(index.users.length);
  const Y = init(index.items.length);
  const steps = options.cgSteps ?? 3;
  for (let it = 0; it < options.iterations; it++) {
    hooks.signal?.throwIfAborted();
    // The first sweep starts from noise, so give it more steps to get near the solution.
    const s = it === 0 ? Math.max(steps, 6) : steps;
    await sweep(X, Y, index.byUser, f, options, s, hooks.signal);
    await sweep(Y, X, index.byItem, f, options, s, hooks.signal);
    hooks.onIteration?.({ iteration: it + 1, iterations: options.iterations });
  }
  return {
    dim: f,
    users: { ids: index.users.ids, factors: X, intercepts: new Float32Array(index.users.length) },
    items: { ids: index.items.ids, factors: Y, intercepts: new Float32Array(index.items.length) },
    globalIntercept: 0,
    meta: {
      source: "local",
      trainedAt: new Date().toISOString(),
      options: {
        factors: f,
        alpha: options.alpha,
        lambda: options.lambda,
        iterations: options.iterations,
        cgSteps: steps,
        seed: options.seed ?? 42,
      },
    },
  };
}

/** Gram matrix Aᵀ A (f × f, row-major) plus lambda on the diagonal. */
export function gram(A: Float32Array, f: number, lambda: number): Float64Array {
  const G = new Float64Array(f * f);
  const rows = A.length / f;
  for (let r = 0; r < rows; r++) {
    const o = r * f;
    for (let a = 0; a < f; a++) {
      const va = A[o + a] as number;
      if (va === 0) continue;
      const ga = a * f;
      for (let b = a; b < f; b++) G[ga + b] = (G[ga + b] as number) + va * (A[o + b] as number);
    }
  }
  for (let a = 0; a < f; a++) {
    for (let b = 0; b < a; b++) G[a * f + b] = G[b * f + a] as number;
    G[a * f + a] = (G[a * f + a] as number) + lambda;
  }
  return G;
}

/** How long a sweep may hold the event loop before yielding (health checks, progress bars). */
const YIELD_EVERY_MS = 25;

/** Re-solves every row of X against fixed Y. */
async function sweep(
  X: Float32Array,
  Y: Float32Array,
  rows: SparseRows,
  f: number,
  options: WalsOptions,
  steps: number,
  signal?: AbortSignal,
): Promise<void> {
  const G = gram(Y, f, options.lambda);
  const { ptr, cols, values } = rows;
  const alpha = options.alpha;
  const x = new Float64Array(f);
  const r = new Float64Array(f);
  const p = new Float64Array(f);
  const Ap = new Float64Array(f);
  const nRows = ptr.length - 1;
  let lastYield = performance.now();
  for (let row = 0; row < nRows; row++) {
    if ((row & 1023) === 0) {
      signal?.throwIfAborted();
      // Training at 25M ratings takes minutes; the process must still answer /healthz meanwhile.
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    const start = ptr[row] as number;
    const end = ptr[row + 1] as number;
    const o = row * f;
    for (let a = 0; a < f; a++) x[a] = X[o + a] as number;
    // r = b − A x, with A = G + Σ (c−1) y yᵀ and b = Σ c y.
    matVec(G, x, r, f, -1);
    for (let e = start; e < end; e++) {
      const c = 1 + alpha * (values[e] as number);
      const yo = (cols[e] as number) * f;
      let yx = 0;
      for (let a = 0; a < f; a++) yx += (Y[yo + a] as number) * (x[a] as number);
      const w = c - (c - 1) * yx;
      for (let a = 0; a < f; a++) r[a] = (r[a] as number) + w * (Y[yo + a] as number);
    }
    let rs = 0;
    for (let a = 0; a < f; a++) {
      p[a] = r[a] as number;
      rs += (r[a] as number) ** 2;
    }
    for (let s = 0; s < steps && rs > 1e-12; s++) {
      matVec(G, p, Ap, f, 1);
      for (let e = start; e < end; e++) {
        const c1 = alpha * (values[e] as number);
        const yo = (cols[e] as number) * f;
        let yp = 0;
        for (let a = 0; a < f; a++) yp += (Y[yo + a] as number) * (p[a] as number);
        const w = c1 * yp;
        for (let a = 0; a < f; a++) Ap[a] = (Ap[a] as number) + w * (Y[yo + a] as number);
      }
      let pAp = 0;
      for (let a = 0; a < f; a++) pAp += (p[a] as number) * (Ap[a] as number);
      if (pAp <= 0) break;
      const step = rs / pAp;
      let rsNew = 0;
      for (let a = 0; a < f; a++) {
        x[a] = (x[a] as number) + step * (p[a] as number);
        r[a] = (r[a] as number) - step * (Ap[a] as number);
        rsNew += (r[a] as number) ** 2;
      }
      const beta = rsNew / rs;
      for (let a = 0; a < f; a++) p[a] = (r[a] as number) + beta * (p[a] as number);
      rs = rsNew;
    }
    for (let a = 0; a < f; a++) X[o + a] = x[a] as number;
  }
}

/** out = sign · M v for a dense f × f matrix. */
function matVec(M: Float64Array, v: Float64Array, out: Float64Array, f: number, sign: number) {
  for (let a = 0; a < f; a++) {
    let sum = 0;
    const o = a * f;
    for (let b = 0; b < f; b++) sum += (M[o + b] as number) * (v[b] as number);
    out[a] = sign * sum;
  }
}

/**
 * The WALS objective above, computed without visiting the unobserved cells:
 * Σ_all (x·y)² = Σ_u x_uᵀ (YᵀY) x_u, then each observed cell swaps its (x·y)² for c (1 − x·y)².
 */
export function walsLoss(
  index: RatingIndex,
  model: MatrixFactorizationModel,
  options: Pick<WalsOptions, "alpha" | "lambda">,
): number {
  const f = model.dim;
  const X = model.users.factors;
  const Y = model.items.factors;
  const G = gram(Y, f, 0);
  const tmp = new Float64Array(f);
  const x = new Float64Array(f);
  let loss = 0;
  const { ptr, cols, values } = index.byUser;
  for (let u = 0; u + 1 < ptr.length; u++) {
    const o = u * f;
    for (let a = 0; a < f; a++) x[a] = X[o + a] as number;
    matVec(G, x, tmp, f, 1);
    for (let a = 0; a < f; a++) loss += (x[a] as number) * (tmp[a] as number);
    for (let e = ptr[u] as number; e < (ptr[u + 1] as number); e++) {
      const yo = (cols[e] as number) * f;
      let s = 0;
      for (let a = 0; a < f; a++) s += (x[a] as number) * (Y[yo + a] as number);
      const c = 1 + options.alpha * (values[e] as number);
      loss += c * (1 - s) ** 2 - s * s;
    }
  }
  let norms = 0;
  for (const v of X) norms += v * v;
  for (const v of Y) norms += v * v;
  return loss + options.lambda * norms;
}

/** Small, fast, seedable PRNG (public-domain mulberry32): training must be reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
