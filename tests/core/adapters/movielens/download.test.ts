import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureMovieLens } from "../../../../core/adapters/movielens/download.ts";
import { loadMovieLens } from "../../../../core/adapters/movielens/load-movielens.ts";
import { isMoviebotError } from "../../../../core/errors.ts";

// The fixture zips are built with Info-ZIP's `zip` (no zip writer is a dependency of the project).
const hasZip = (() => {
  try {
    execFileSync("zip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const FILES: Record<string, string> = {
  "movies.csv":
    'movieId,title,genres\n1,Toy Story (1995),Animation\n2,"Matrix, The (1999)",Sci-Fi\n',
  "links.csv": "movieId,imdbId,tmdbId\n1,0114709,862\n2,0133093,603\n",
  "ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,5.0,964981247\n",
  "tags.csv": "userId,movieId,tag,timestamp\n1,2,cyberpunk,1445714994\n",
  "README.txt": "Summary of the fixture\n",
};

/** Zips `files` under `ml-latest-small/` as GroupLens lays the archive out. */
function buildZip(files: Record<string, string>): Buffer {
  const root = mkdtempSync(join(tmpdir(), "zip-src-"));
  mkdirSync(join(root, "ml-latest-small"));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(root, "ml-latest-small", name), text);
  }
  execFileSync("zip", ["-q", "-r", "data.zip", "ml-latest-small"], { cwd: root });
  return readFileSync(join(root, "data.zip"));
}

const md5 = (data: Buffer) => createHash("md5").update(data).digest("hex");

describe.skipIf(!hasZip)("ensureMovieLens against a local HTTP server", () => {
  const routes = new Map<string, { status: number; body: Buffer | string }>();
  const hits: string[] = [];
  let server: Server;
  let base: string;
  let zip: Buffer;

  /** Publishes a zip at /name and its checksum at /name.md5, as GroupLens does. */
  function publish(name: string, data: Buffer, checksum = md5(data)): string {
    routes.set(`/${name}`, { status: 200, body: data });
    routes.set(`/${name}.md5`, { status: 200, body: `MD5 (${name}) = ${checksum}\n` });
    return `${base}/${name}`;
  }

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? "");
      const route = routes.get(request.url ?? "") ?? { status: 404, body: "not found" };
      response.writeHead(route.status, { "content-length": Buffer.byteLength(route.body) });
      response.end(route.body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    zip = buildZip(FILES);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const freshDir = () =>
    join(mkdtempSync(join(tmpdir(), "movielens-dl-")), "data", "ml-latest-small");
  const parentOf = (dir: string) => join(dir, "..");

  async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
    const error = await promise.then(
      () => {
        throw new Error("expected a failure");
      },
      (e: unknown) => e,
    );
    expect(isMoviebotError(error)).toBe(true);
    return error as Error & { code?: string };
  }

  it("downloads, verifies and unpacks the data the loader reads, reporting progress", async () => {
    const url = publish("ml-latest-small.zip", zip);
    const dir = freshDir();
    const progress: [number, number | null][] = [];
    expect(await ensureMovieLens({ dir, url, onProgress: (r, t) => progress.push([r, t]) })).toBe(
      dir,
    );

    expect(readdirSync(dir).sort()).toEqual(["links.csv", "movies.csv", "ratings.csv"]);
    const catalog = await loadMovieLens(dir);
    expect(catalog.get(2)?.title).toBe("The Matrix");
    expect(progress.at(-1)).toEqual([zip.length, zip.length]);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]?.[0]).toBeGreaterThan(progress[i - 1]?.[0] ?? 0);
    }
    // Only the data folder is left in the parent: no zip, no temporary folder.
    expect(readdirSync(parentOf(dir))).toEqual(["ml-latest-small"]);
  });

  it("accepts a checksum file in md5sum's format too", async () => {
    const url = publish("md5sum.zip", zip);
    routes.set("/md5sum.zip.md5", { status: 200, body: `${md5(zip)}  md5sum.zip\n` });
    const dir = freshDir();
    await ensureMovieLens({ dir, url });
    expect(existsSync(join(dir, "ratings.csv"))).toBe(true);
  });

  it("does not download again when the folder already holds the data", async () => {
    const url = publish("again.zip", zip);
    const dir = freshDir();
    await ensureMovieLens({ dir, url });
    const before = hits.length;
    expect(await ensureMovieLens({ dir, url })).toBe(dir);
    expect(hits.length).toBe(before);
  });

  it("fills an empty folder standing where the data goes", async () => {
    const url = publish("empty-dir.zip", zip);
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    await ensureMovieLens({ dir, url });
    expect(existsSync(join(dir, "movies.csv"))).toBe(true);
  });

  it("will not overwrite a folder that holds something else", async () => {
    const url = publish("occupied.zip", zip);
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "notes.txt"), "mine");
    const error = await failure(ensureMovieLens({ dir, url }));
    expect(error.message).toContain("MOVIELENS_DIR");
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
    expect(readdirSync(parentOf(dir))).toEqual(["ml-latest-small"]);
  });

  it.each([404, 500])(
    "fails with download_failed on HTTP %i and leaves nothing behind",
    async (status) => {
      routes.set(`/status-${status}.zip`, { status, body: "nope" });
      routes.set(`/status-${status}.zip.md5`, { status: 200, body: md5(zip) });
      const dir = freshDir();
      const error = await failure(ensureMovieLens({ dir, url: `${base}/status-${status}.zip` }));
      expect(error.code).toBe("download_failed");
      expect(error.message).toContain(`HTTP ${status}`);
      // The data/ folder the download created is gone again: no empty folder left behind.
      expect(existsSync(parentOf(dir))).toBe(false);
    },
  );

  it("fails when the checksum file is missing", async () => {
    routes.set("/no-md5.zip", { status: 200, body: zip });
    const dir = freshDir();
    const error = await failure(ensureMovieLens({ dir, url: `${base}/no-md5.zip` }));
    expect(error.message).toContain("no-md5.zip.md5");
    expect(error.message).toContain("HTTP 404");
  });

  it("discards a download whose checksum does not match", async () => {
    const url = publish("tampered.zip", zip, "0".repeat(32));
    const dir = freshDir();
    const error = await failure(ensureMovieLens({ dir, url }));
    expect(error.code).toBe("download_failed");
    expect(error.message).toMatch(/checksum mismatch/i);
    // The data/ folder the download created is gone again: no empty folder left behind.
    expect(existsSync(parentOf(dir))).toBe(false);
  });

  it("rejects a file that is not a zip", async () => {
    const url = publish("not-a-zip.zip", Buffer.from("<html>maintenance</html>"));
    const dir = freshDir();
    const error = await failure(ensureMovieLens({ dir, url }));
    expect(error.message).toContain("not a usable zip");
    // The data/ folder the download created is gone again: no empty folder left behind.
    expect(existsSync(parentOf(dir))).toBe(false);
  });

  it("rejects a zip without the ratings", async () => {
    const { "ratings.csv": _, ...rest } = FILES;
    const url = publish("no-ratings.zip", buildZip(rest));
    const dir = freshDir();
    const error = await failure(ensureMovieLens({ dir, url }));
    expect(error.message).toContain("lacks ratings.csv");
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses entries that climb out of the target folder", async () => {
    // Same length as "ml-latest-small/movies.csv", patched into both headers of the archive.
    const evilName = "../../../../../../evil.csv";
    const honest = Buffer.from("ml-latest-small/movies.csv");
    const evil = Buffer.from(zip);
    for (let at = evil.indexOf(honest); at !== -1; at = evil.indexOf(honest, at + 1)) {
      evil.write(evilName, at);
    }
    const url = publish("evil.zip", evil);
    const dir = freshDir();
    const error = await failure(ensureMovieLens({ dir, url }));
    expect(error.code).toBe("download_failed");
    expect(error.message).toContain(evilName);
    expect(existsSync(dir)).toBe(false);
  });
});
