import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { MatrixFactorizationModel } from "../../recommend/mf-model.ts";

/**
 * On-disk cache of trained models, so a restart skips training. One file per (data checksum,
 * training options): a JSON header then raw little-endian Int32/Float32 arrays. Written to a temp
 * file and renamed, so a crash mid-write never leaves a half file under the real name; a file that
 * fails any check (magic, key, sizes, body hash) is treated as absent and the caller retrains.
 */
const MAGIC = "MOVIEBOT-MODEL";
const FORMAT_VERSION = 1;

type ArrayKind = "i32" | "f32";
type NamedArray = Int32Array | Float32Array;

interface Header {
  magic: string;
  version: number;
  key: string;
  arrays: { name: string; kind: ArrayKind; length: number }[];
  meta: unknown;
  bodySha256: string;
}

/** Cache key: the data checksum and every option that changes the trained result. */
export function cacheKey(dataChecksum: string, options: Record<string, number | string>): string {
  const sorted = Object.fromEntries(Object.entries(options).sort(([a], [b]) => a.localeCompare(b)));
  return createHash("sha256")
    .update(`${FORMAT_VERSION}\n${dataChecksum}\n${JSON.stringify(sorted)}`)
    .digest("hex")
    .slice(0, 32);
}

export class ModelCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  pathOf(kind: string, key: string): string {
    return join(this.dir, `${kind}-${key}.bin`);
  }

  async loadModel(key: string): Promise<MatrixFactorizationModel | null> {
    const bundle = await this.load("mf", key);
    if (!bundle) return null;
    const meta = bundle.meta as { dim?: unknown; globalIntercept?: unknown; meta?: unknown };
    const arrays = bundle.arrays;
    const dim = meta.dim;
    const parts = [
      arrays.get("userIds"),
      arrays.get("userFactors"),
      arrays.get("userIntercepts"),
      arrays.get("itemIds"),
      arrays.get("itemFactors"),
      arrays.get("itemIntercepts"),
    ];
    if (typeof dim !== "number" || typeof meta.globalIntercept !== "number") return null;
    const [uIds, uF, uB, iIds, iF, iB] = parts;
    if (
      !(uIds instanceof Int32Array && iIds instanceof Int32Array) ||
      !(uF instanceof Float32Array && uB instanceof Float32Array) ||
      !(iF instanceof Float32Array && iB instanceof Float32Array) ||
      uF.length !== uIds.length * dim ||
      iF.length !== iIds.length * dim ||
      uB.length !== uIds.length ||
      iB.length !== iIds.length
    ) {
      return null;
    }
    return {
      dim,
      users: { ids: uIds, factors: uF, intercepts: uB },
      items: { ids: iIds, factors: iF, intercepts: iB },
      globalIntercept: meta.globalIntercept,
      meta: meta.meta as MatrixFactorizationModel["meta"],
    };
  }

  async saveModel(key: string, model: MatrixFactorizationModel): Promise<void> {
    await this.save(
      "mf",
      key,
      { dim: model.dim, globalIntercept: model.globalIntercept, meta: model.meta },
      new Map<string, NamedArray>([
        ["userIds", model.users.ids],
        ["userFactors", model.users.factors],
        ["userIntercepts", model.users.intercepts],
        ["itemIds", model.items.ids],
        ["itemFactors", model.items.factors],
        ["itemIntercepts", model.items.intercepts],
      ]),
    );
  }

  /** A named set of typed arrays plus JSON metadata, or null when absent or unusable. */
  async load(
    kind: string,
    key: string,
  ): Promise<{ meta: unknown; arrays: Map<string, NamedArray> } | null> {
    let file: Buffer;
    try {
      file = await readFile(this.pathOf(kind, key));
    } catch {
      return null;
    }
    try {
      if (file.length < 4) return null;
      const headerLength = file.readUInt32LE(0);
      if (headerLength > file.length - 4) return null;
      const header = JSON.parse(file.subarray(4, 4 + headerLength).toString("utf8")) as Header;
      if (header.magic !== MAGIC || header.version !== FORMAT_VERSION || header.key !== key) {
        return null;
      }
      const bodyStart = align4(4 + headerLength);
      const body = file.subarray(bodyStart);
      const expected = header.arrays.reduce((sum, a) => sum + a.length * 4, 0);
      if (body.length !== expected) return null;
      if (createHash("sha256").update(body).digest("hex") !== header.bodySha256) return null;
      const arrays = new Map<string, NamedArray>();
      let offset = 0;
      for (const { name, kind: type, length } of header.arrays) {
        // Copy into a fresh, aligned buffer: the file buffer's offset need not be 4-aligned.
        const bytes = new Uint8Array(body.subarray(offset, offset + length * 4));
        arrays.set(
          name,
          type === "i32" ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer),
        );
        offset += length * 4;
      }
      return { meta: header.meta, arrays };
    } catch {
      return null;
    }
  }

  async save(
    kind: string,
    key: string,
    meta: unknown,
    arrays: Map<string, NamedArray>,
  ): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const chunks = [...arrays.values()].map(
      (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
    );
    const hash = createHash("sha256");
    for (const chunk of chunks) hash.update(chunk);
    const header: Header = {
      magic: MAGIC,
      version: FORMAT_VERSION,
      key,
      arrays: [...arrays].map(([name, a]) => ({
        name,
        kind: a instanceof Int32Array ? "i32" : "f32",
        length: a.length,
      })),
      meta,
      bodySha256: hash.digest("hex"),
    };
    const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
    const prefix = Buffer.alloc(align4(4 + headerBytes.length), 0x20);
    prefix.writeUInt32LE(headerBytes.length, 0);
    headerBytes.copy(prefix, 4);
    const target = this.pathOf(kind, key);
    const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(temp, Buffer.concat([prefix, ...chunks]));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
