import { LIKED_THRESHOLD, type Ratings } from "../catalog/ratings.ts";

/**
 * External ids (userId or movieId) mapped to rows: row r holds ids[r]. Ids built from ratings are
 * ascending; ids from an ML.WEIGHTS export may come in any order.
 */
export class IdRows {
  readonly ids: Int32Array;
  // A dense lookup array beats a Map by ~10x at 25M ratings; ids in MovieLens are small positive ints.
  // Built on the first look-up: the users of an index with members are rebuilt at every refresh
  // (a Map of 160k entries at 25M ratings) and serving never looks a user up.
  private dense: Int32Array | null = null;
  private sparse: Map<number, number> | null = null;

  constructor(ids: Int32Array) {
    this.ids = ids;
  }

  get length(): number {
    return this.ids.length;
  }

  /** Row of an id, or -1. */
  rowOf(id: number): number {
    if (!this.dense && !this.sparse) this.buildLookup();
    if (this.dense) return id >= 0 && id < this.dense.length ? (this.dense[id] as number) : -1;
    return this.sparse?.get(id) ?? -1;
  }

  private buildLookup(): void {
    const ids = this.ids;
    let min = 0;
    let max = 0;
    for (const id of ids) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    if (min >= 0 && max < 1 << 26) {
      this.dense = new Int32Array(max + 1).fill(-1);
      for (let r = 0; r < ids.length; r++) this.dense[ids[r] as number] = r;
    } else {
      this.sparse = new Map();
      for (let r = 0; r < ids.length; r++) this.sparse.set(ids[r] as number, r);
    }
  }

  static fromValues(values: Int32Array): IdRows {
    return new IdRows(uniqueSorted(values));
  }
}

function uniqueSorted(values: Int32Array): Int32Array {
  const sorted = Int32Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i] as number;
  }
  const unique = sharedInt32(n);
  unique.set(sorted.subarray(0, n));
  return unique;
}

/**
 * Named typed arrays: what a snapshot file stores and what worker threads share. Arrays built here
 * live in SharedArrayBuffers, so handing them to a worker shares the memory instead of copying it.
 */
export type Sections = Record<
  string,
  Int32Array | Uint32Array | Float32Array | Float64Array | Uint8Array
>;

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

/** Compressed sparse rows: row r's entries are cols/values[ptr[r] .. ptr[r+1]). */
export interface SparseRows {
  ptr: Int32Array;
  cols: Int32Array;
  values: Float32Array;
}

/** A matrix of no rows: what a loop over members' rows reads when there are none. */
export const EMPTY_ROWS: SparseRows = {
  ptr: new Int32Array(1),
  cols: new Int32Array(0),
  values: new Float32Array(0),
};

/**
 * Raters who come after an index's own (the bot's members), over the same item rows: user rows
 * `baseUsers` .. `baseUsers + ids.length − 1`, so in each movie's raters they follow every rater
 * of the base, as a full build from the ratings would order them. A few entries per member: an
 * index with members shares the base's arrays and the recommendation loops walk these beside them,
 * instead of a copy of the base with the members' entries spliced in (600 MB more at 25M ratings).
 */
export interface MemberRows {
  /** Their user ids in row order, ascending, each above every id of the base. */
  ids: Int32Array;
  /** Per item row of the base, the members who rated it: user rows (≥ baseUsers), ascending. */
  byItem: SparseRows;
  /** The liked subset of byItem. */
  likedByItem: SparseRows;
  /** Per member (user row − baseUsers), the item rows they rated, ascending. */
  byUser: SparseRows;
  /** The liked subset of byUser. */
  likedByUser: SparseRows;
}

/**
 * Ratings as two sparse matrices (by user and by item) over dense rows, plus the "liked" subset
 * (rating_im >= 0.8) by item: what the trainer and the recommender's per-request loops walk.
 * With `members`, user rows from `baseUsers` on are theirs: every loop over raters or over a
 * user's ratings reads the base's rows and then the members' (`byItem` and the others hold the
 * base's alone, which is what training and evaluation see).
 */
export class RatingIndex {
  /** Every rater's id by user row: the base's, then the members'. */
  readonly users: IdRows;
  readonly items: IdRows;
  readonly byUser: SparseRows;
  readonly byItem: SparseRows;
  /** Per item row, the user rows that liked it (ascending), with their rating_im. */
  readonly likedByItem: SparseRows;
  /** Per user row, the item rows they liked (ascending). */
  readonly likedByUser: SparseRows;
  /** Raters after the base's (MemberRows); null when there are none. */
  readonly members: MemberRows | null = null;
  /** User rows of the base: the first member's row. */
  readonly baseUsers: number;
  private readonly baseUserIds: Int32Array;

  constructor(ratings: Ratings | Sections, items?: IdRows, members?: MemberRows) {
    if (!isRatings(ratings)) {
      // Built before (a snapshot, another thread): the arrays as they are.
      const at = <T>(name: string) => {
        const section = ratings[name];
        if (!section) throw new Error(`rating index section ${name} is missing`);
        return section as T;
      };
      const rows = (name: string): SparseRows => ({
        ptr: at<Int32Array>(`${name}.ptr`),
        cols: at<Int32Array>(`${name}.cols`),
        values: at<Float32Array>(`${name}.values`),
      });
      this.baseUserIds = at<Int32Array>("users.ids");
      this.baseUsers = this.baseUserIds.length;
      if (members && members.ids.length > 0) {
        const ids = new Int32Array(this.baseUsers + members.ids.length);
        ids.set(this.baseUserIds);
        ids.set(members.ids, this.baseUsers);
        this.users = new IdRows(ids);
        this.members = members;
      } else this.users = new IdRows(this.baseUserIds);
      this.items = items ?? new IdRows(at<Int32Array>("items.ids"));
      this.byItem = rows("byItem");
      this.byUser = rows("byUser");
      this.likedByItem = rows("likedByItem");
      this.likedByUser = rows("likedByUser");
      return;
    }
    this.users = IdRows.fromValues(ratings.userIds);
    this.baseUserIds = this.users.ids;
    this.baseUsers = this.users.length;
    this.items = items ?? IdRows.fromValues(ratings.movieIds);
    const n = ratings.length;
    const userRows = new Int32Array(n);
    const itemRows = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      userRows[i] = this.users.rowOf(ratings.userIds[i] as number);
      itemRows[i] = this.items.rowOf(ratings.movieIds[i] as number);
    }
    // Two stable counting sorts (by user, then by item, then back by user) leave every row's
    // columns ascending without a comparison sort: O(nnz) passes, which matters at 25M ratings.
    const unsorted = groupBy(userRows, itemRows, ratings.values, this.users.length);
    this.byItem = transpose(unsorted, this.items.length);
    this.byUser = transpose(this.byItem, this.users.length);
    const liked = (v: number) => v >= LIKED_THRESHOLD;
    this.likedByItem = filterEntries(this.byItem, liked);
    this.likedByUser = filterEntries(this.byUser, liked);
  }

  /**
   * This index's arrays with `members` as raters after its own (the base's members, if any, are
   * replaced): nothing of the base is copied. Null or no members: the base alone.
   */
  withMembers(members: MemberRows | null): RatingIndex {
    return new RatingIndex(this.sections(), this.items, members ?? undefined);
  }

  /** How many users rated the movie of an item row, members included. */
  raterCount(item: number): number {
    const own = (this.byItem.ptr[item + 1] as number) - (this.byItem.ptr[item] as number);
    const m = this.members?.byItem.ptr;
    return m ? own + (m[item + 1] as number) - (m[item] as number) : own;
  }

  /** How many users liked the movie of an item row, members included. */
  likerCount(item: number): number {
    const { ptr } = this.likedByItem;
    const own = (ptr[item + 1] as number) - (ptr[item] as number);
    const m = this.members?.likedByItem.ptr;
    return m ? own + (m[item + 1] as number) - (m[item] as number) : own;
  }

  /**
   * The ratings the index was built from (the base's: members' likes are not among them), grouped by user (movies ascending within a user): what
   * `catalog.ratings` holds when the catalogue came from a snapshot. Built on first use (a start
   * from a snapshot never needs it; training and evaluation do).
   */
  ratings(): Ratings {
    const { byUser, users, items } = this;
    let built: { userIds: Int32Array; movieIds: Int32Array } | undefined;
    const build = () => {
      if (built) return built;
      const n = byUser.cols.length;
      const userIds = new Int32Array(n);
      const movieIds = new Int32Array(n);
      for (let u = 0; u + 1 < byUser.ptr.length; u++) {
        const id = users.ids[u] as number;
        for (let e = byUser.ptr[u] as number; e < (byUser.ptr[u + 1] as number); e++) {
          userIds[e] = id;
          movieIds[e] = items.ids[byUser.cols[e] as number] as number;
        }
      }
      built = { userIds, movieIds };
      return built;
    };
    return {
      length: byUser.cols.length,
      get userIds() {
        return build().userIds;
      },
      get movieIds() {
        return build().movieIds;
      },
      values: byUser.values,
    };
  }

  /**
   * The arrays behind the index, by name; `new RatingIndex(sections)` rebuilds it without work.
   * The base's: the members' rows are `members`, passed beside them.
   */
  sections(): Sections {
    const sections: Sections = {
      "users.ids": this.baseUserIds,
      "items.ids": this.items.ids,
    };
    for (const [name, rows] of Object.entries({
      byItem: this.byItem,
      byUser: this.byUser,
      likedByItem: this.likedByItem,
      likedByUser: this.likedByUser,
    })) {
      sections[`${name}.ptr`] = rows.ptr;
      sections[`${name}.cols`] = rows.cols;
      sections[`${name}.values`] = rows.values;
    }
    return sections;
  }
}

function isRatings(source: Ratings | Sections): source is Ratings {
  return source.userIds instanceof Int32Array && typeof source.length === "number";
}

/** Counting sort of (row, col, value) triples into CSR; entries within a row keep input order. */
function groupBy(
  rows: Int32Array,
  cols: Int32Array,
  values: Float32Array,
  nRows: number,
): SparseRows {
  const ptr = new Int32Array(nRows + 1);
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (r < 0 || (cols[i] as number) < 0) continue;
    ptr[r + 1] = (ptr[r + 1] as number) + 1;
    nnz++;
  }
  for (let r = 0; r < nRows; r++) ptr[r + 1] = (ptr[r + 1] as number) + (ptr[r] as number);
  const next = ptr.slice(0, nRows);
  const outCols = new Int32Array(nnz);
  const outValues = new Float32Array(nnz);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    if (r < 0 || (cols[i] as number) < 0) continue;
    const at = next[r] as number;
    outCols[at] = cols[i] as number;
    outValues[at] = values[i] as number;
    next[r] = at + 1;
  }
  return { ptr, cols: outCols, values: outValues };
}

/** The transposed matrix; walking source rows in order leaves each result row sorted. */
function transpose(source: SparseRows, nCols: number): SparseRows {
  const nnz = source.cols.length;
  const ptr = sharedInt32(nCols + 1);
  for (let e = 0; e < nnz; e++) {
    const c = source.cols[e] as number;
    ptr[c + 1] = (ptr[c + 1] as number) + 1;
  }
  for (let c = 0; c < nCols; c++) ptr[c + 1] = (ptr[c + 1] as number) + (ptr[c] as number);
  const next = ptr.slice(0, nCols);
  const cols = sharedInt32(nnz);
  const values = sharedFloat32(nnz);
  for (let r = 0; r + 1 < source.ptr.length; r++) {
    for (let e = source.ptr[r] as number; e < (source.ptr[r + 1] as number); e++) {
      const c = source.cols[e] as number;
      const at = next[c] as number;
      cols[at] = r;
      values[at] = source.values[e] as number;
      next[c] = at + 1;
    }
  }
  return { ptr, cols, values };
}

function filterEntries(source: SparseRows, keep: (value: number) => boolean): SparseRows {
  const nRows = source.ptr.length - 1;
  const ptr = sharedInt32(nRows + 1);
  let nnz = 0;
  for (const v of source.values) if (keep(v)) nnz++;
  const cols = sharedInt32(nnz);
  const values = sharedFloat32(nnz);
  let at = 0;
  for (let r = 0; r < nRows; r++) {
    for (let e = source.ptr[r] as number; e < (source.ptr[r + 1] as number); e++) {
      const v = source.values[e] as number;
      if (!keep(v)) continue;
      cols[at] = source.cols[e] as number;
      values[at] = v;
      at++;
    }
    ptr[r + 1] = at;
  }
  return { ptr, cols, values };
}
