import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { crc32 } from "node:zlib";
import type { Sections } from "../../recommend/rating-index.ts";
import { snapshotFormat } from "./snapshot-format.ts";

/**
 * A binary file of named typed arrays plus a JSON header, read straight back into memory: the
 * derived state of a start (catalogue, rating index, search index, a strategy's tables) without
 * parsing CSV or rebuilding anything.
 *
 *   0   "MBSNAP\0\0"                  magic
 *   8   u32 LE  format                the first 32 bits of snapshotFormat(); another is never read
 *   12  u32 LE  header length         bytes of header JSON
 *   16  u32 LE  header CRC-32
 *   20  u32 LE  0
 *   24  header JSON (key, meta, section table with offsets, lengths and CRC-32s, total bytes)
 *   …   sections, each at an offset aligned to 8 bytes
 *
 * Every byte after the fixed prefix is covered by a CRC-32 (header, then each section), and the
 * file's length must be the header's total: a truncated, padded or bit-flipped file is refused.
 */

const hex = (word: number) => word.toString(16).padStart(8, "0");
const MAGIC = Buffer.from("MBSNAP\0\0", "latin1");
const PREFIX = 24;
const ALIGN = 8;

type SectionType = "i32" | "u32" | "f32" | "f64" | "u8";

export interface SectionEntry {
  name: string;
  type: SectionType;
  /** Absolute byte offset in the file. */
  offset: number;
  /** Elements, not bytes. */
  length: number;
  crc: number;
}

export interface SnapshotHeader<Key, Meta> {
  key: Key;
  meta: Meta;
  sections: SectionEntry[];
  totalBytes: number;
}

/** Why a snapshot cannot be used: one line for the log. */
export class SnapshotError extends Error {
  readonly reason: "missing" | "corrupt" | "version" | "stale";
  constructor(reason: SnapshotError["reason"], message: string) {
    super(message);
    this.name = "SnapshotError";
    this.reason = reason;
  }
}

const BYTES: Record<SectionType, number> = { i32: 4, u32: 4, f32: 4, f64: 8, u8: 1 };

function typeOf(array: Sections[string]): SectionType {
  if (array instanceof Int32Array) return "i32";
  if (array instanceof Uint32Array) return "u32";
  if (array instanceof Float32Array) return "f32";
  if (array instanceof Float64Array) return "f64";
  return "u8";
}

function view(buffer: ArrayBufferLike, type: SectionType, offset: number, length: number) {
  switch (type) {
    case "i32":
      return new Int32Array(buffer, offset, length);
    case "u32":
      return new Uint32Array(buffer, offset, length);
    case "f32":
      return new Float32Array(buffer, offset, length);
    case "f64":
      return new Float64Array(buffer, offset, length);
    default:
      return new Uint8Array(buffer, offset, length);
  }
}

const bytesOf = (array: Sections[string]) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
const aligned = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/**
 * Writes the snapshot beside its final path and renames it into place, so a reader never meets a
 * half-written file and a crash mid-write leaves the previous snapshot (or none).
 */
export async function writeSnapshot<Key, Meta>(
  path: string,
  key: Key,
  meta: Meta,
  sections: Sections,
): Promise<number> {
  const names = Object.keys(sections);
  const entries: SectionEntry[] = names.map((name) => {
    const array = sections[name] as Sections[string];
    return {
      name,
      type: typeOf(array),
      offset: 0,
      length: array.length,
      crc: crc32(bytesOf(array)),
    };
  });
  // Offsets depend on the header's length, which depends on the offsets' digits: settle both.
  let headerBytes = Buffer.alloc(0);
  let totalBytes = 0;
  for (let pass = 0; pass < 4; pass++) {
    let at = aligned(PREFIX + headerBytes.length);
    for (const entry of entries) {
      entry.offset = at;
      at = aligned(at + entry.length * BYTES[entry.type]);
    }
    totalBytes = at;
    const next = Buffer.from(JSON.stringify({ key, meta, sections: entries, totalBytes }));
    if (next.length === headerBytes.length) {
      headerBytes = next;
      break;
    }
    headerBytes = next;
  }
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(snapshotFormat().word, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  prefix.writeUInt32LE(crc32(headerBytes), 16);

  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  const file = await open(partial, "w");
  try {
    await file.write(prefix, 0, PREFIX, 0);
    await file.write(headerBytes, 0, headerBytes.length, PREFIX);
    for (const [i, entry] of entries.entries()) {
      const bytes = bytesOf(sections[names[i] as string] as Sections[string]);
      // Large sections in slices: one write of a gigabyte is refused on some platforms.
      for (let from = 0; from < bytes.length; from += 1 << 28) {
        const slice = bytes.subarray(from, Math.min(bytes.length, from + (1 << 28)));
        await file.write(slice, 0, slice.length, entry.offset + from);
      }
    }
    // The file ends at totalBytes even when the last section needed padding.
    await file.truncate(totalBytes);
    await file.close();
    await rename(partial, path);
  } catch (error) {
    await file.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
  return totalBytes;
}

/** The header alone, checked (magic, version, CRC): enough to decide whether the file is current. */
export function readSnapshotHeader<Key, Meta>(path: string): SnapshotHeader<Key, Meta> {
  return withSnapshotFile(path, (fd) => readHeader<Key, Meta>(fd));
}

/** `read` with the snapshot file open (closed after, whatever happens); "missing" when there is none. */
function withSnapshotFile<T>(path: string, read: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    throw new SnapshotError("missing", `no snapshot at ${path}`);
  }
  try {
    return read(fd);
  } finally {
    closeSync(fd);
  }
}

function readHeader<Key, Meta>(fd: number): SnapshotHeader<Key, Meta> {
  const prefix = Buffer.alloc(PREFIX);
  if (readSync(fd, prefix, 0, PREFIX, 0) !== PREFIX || !prefix.subarray(0, 8).equals(MAGIC)) {
    throw new SnapshotError(
      "corrupt",
      "not a moviebot snapshot (bad magic or shorter than its prefix)",
    );
  }
  const version = prefix.readUInt32LE(8);
  const expected = snapshotFormat().word;
  if (version !== expected) {
    throw new SnapshotError(
      "version",
      `snapshot written by other code (format ${hex(version)}, this code reads ${hex(expected)})`,
    );
  }
  const length = prefix.readUInt32LE(12);
  const header = Buffer.alloc(length);
  if (
    readSync(fd, header, 0, length, PREFIX) !== length ||
    crc32(header) !== prefix.readUInt32LE(16)
  ) {
    throw new SnapshotError("corrupt", "snapshot header is truncated or fails its CRC-32");
  }
  try {
    return JSON.parse(header.toString("utf8")) as SnapshotHeader<Key, Meta>;
  } catch {
    throw new SnapshotError("corrupt", "snapshot header is not JSON");
  }
}

/**
 * One section read alone from its place in the file, into memory of its own (not shared), and
 * checked against its CRC-32: what a thread started before the whole snapshot is read reads for
 * itself. `entry` comes from a header read earlier; a file replaced since fails the check.
 */
export function readSnapshotSection(path: string, entry: SectionEntry): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(entry.length * BYTES[entry.type]);
  withSnapshotFile(path, (fd) => {
    for (let at = 0; at < bytes.length; ) {
      const read = readSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 28), entry.offset + at);
      if (read <= 0) throw new SnapshotError("corrupt", "snapshot ended early");
      at += read;
    }
  });
  if (crc32(bytes) !== entry.crc) {
    throw new SnapshotError("corrupt", `snapshot section ${entry.name} fails its CRC-32`);
  }
  return bytes;
}

/**
 * The whole snapshot: one SharedArrayBuffer holding every section (so worker threads can share
 * them), each section checked against its CRC-32. Throws SnapshotError when anything is off.
 */
export function readSnapshot<Key, Meta>(
  path: string,
): { header: SnapshotHeader<Key, Meta>; sections: Sections } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    throw new SnapshotError("missing", `no snapshot at ${path}`);
  }
  try {
    const header = readHeader<Key, Meta>(fd);
    const size = fstatSync(fd).size;
    if (size !== header.totalBytes) {
      throw new SnapshotError(
        "corrupt",
        `snapshot is ${size} bytes, its header says ${header.totalBytes}`,
      );
    }
    const start = header.sections[0]?.offset ?? size;
    const buffer = new SharedArrayBuffer(size - start);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < bytes.length; ) {
      const read = readSync(fd, bytes, at, Math.min(bytes.length - at, 1 << 28), start + at);
      if (read <= 0) throw new SnapshotError("corrupt", "snapshot ended early");
      at += read;
    }
    const sections: Sections = {};
    for (const entry of header.sections) {
      const byteLength = entry.length * BYTES[entry.type];
      if (entry.offset < start || entry.offset + byteLength > size || entry.offset % ALIGN !== 0) {
        throw new SnapshotError("corrupt", `snapshot section ${entry.name} lies outside the file`);
      }
      const array = view(buffer, entry.type, entry.offset - start, entry.length);
      if (crc32(bytesOf(array)) !== entry.crc) {
        throw new SnapshotError("corrupt", `snapshot section ${entry.name} fails its CRC-32`);
      }
      sections[entry.name] = array;
    }
    return { header, sections };
  } finally {
    closeSync(fd);
  }
}
