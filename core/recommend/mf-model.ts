/**
 * A trained matrix-factorization model in the shape BigQuery ML's ML.WEIGHTS export has for a
 * matrix_factorization model: one factor vector and one intercept per user and per item. The
 * embedded trainer fills it, and so can an ML.WEIGHTS export, so a BigQuery-trained model can be
 * served in-process.
 */
export interface FactorTable {
  /** External ids (userId or movieId), one per row. */
  ids: Int32Array;
  /** Row-major, ids.length × dim. */
  factors: Float32Array;
  /** One per row; 0 where the model has none (implicit WALS keeps none). */
  intercepts: Float32Array;
}

export interface MatrixFactorizationModel {
  dim: number;
  users: FactorTable;
  items: FactorTable;
  /** Added to every prediction (BigQuery ML's global__intercept__); 0 if none. */
  globalIntercept: number;
  meta: {
    source: "local" | "bigquery";
    trainedAt: string;
    /** Checksum of the data it was trained on, when known. */
    dataChecksum?: string;
    /** Training options (factors, alpha, lambda, iterations …) as given. */
    options: Record<string, number | string>;
  };
}

/** prediction(user u, item i) = global + userIntercept + itemIntercept + <u, i>. */
export function predict(model: MatrixFactorizationModel, userRow: number, itemRow: number): number {
  const { dim } = model;
  const u = model.users.factors;
  const v = model.items.factors;
  let dot = 0;
  for (let f = 0; f < dim; f++)
    dot += (u[userRow * dim + f] as number) * (v[itemRow * dim + f] as number);
  return (
    model.globalIntercept +
    (model.users.intercepts[userRow] as number) +
    (model.items.intercepts[itemRow] as number) +
    dot
  );
}
