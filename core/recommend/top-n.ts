/**
 * Rows of the n highest scores, best first; ties go to the lower row. Skips rows where `skip`
 * says so and non-finite scores. O(rows · n) with n ≤ 50, which beats sorting every row.
 */
export function topN(
  scores: ArrayLike<number>,
  n: number,
  skip: (row: number) => boolean = () => false,
): number[] {
  const rows: number[] = [];
  const best: number[] = [];
  if (n <= 0) return rows;
  for (let row = 0; row < scores.length; row++) {
    const score = scores[row] as number;
    if (!Number.isFinite(score)) continue;
    if (rows.length === n && score <= (best[n - 1] as number)) continue;
    if (skip(row)) continue;
    let at = rows.length === n ? n - 1 : rows.length;
    while (at > 0 && (best[at - 1] as number) < score) {
      best[at] = best[at - 1] as number;
      rows[at] = rows[at - 1] as number;
      at--;
    }
    best[at] = score;
    rows[at] = row;
  }
  return rows;
}
