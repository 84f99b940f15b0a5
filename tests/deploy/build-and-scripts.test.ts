import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyBuildAssets } from "../../scripts/copy-build-assets.ts";
import { MOVIELENS_DIR } from "../support/data.ts";
import { REPO_ROOT } from "./support/deploy-script.ts";

const has = (tool: string) => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
const cleanup: string[] = [];
afterAll(() => {
  for (const path of cleanup) rmSync(path, { recursive: true, force: true });
});

describe("shellcheck", () => {
  const available = has("shellcheck");
  if (!available) {
    console.warn(
      "shellcheck not installed: skipping (apt-get install -y shellcheck; .ci/run does)",
    );
  }
  it.skipIf(!available).each(["deploy.sh", "scripts/fetch-movielens.sh"])("%s is clean", (file) => {
    const result = spawnSync("shellcheck", ["--severity=style", join(REPO_ROOT, file)], {
      encoding: "utf8",
    });
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("scripts/fetch-movielens.sh (the image's optional MovieLens download)", () => {
  const tools = ["curl", "unzip", "zip", "md5sum"].filter((tool) => !has(tool));
  if (tools.length) console.warn(`missing ${tools.join(", ")}: skipping the fetch-movielens tests`);

  let server: Server | undefined;
  let base = "";
  let md5 = "";
  afterAll(() => server?.close());

  async function serveZip(): Promise<void> {
    if (server) return;
    const work = mkdtempSync(join(tmpdir(), "moviebot-fetch-"));
    cleanup.push(work);
    mkdirSync(join(work, "ml-tiny"));
    writeFileSync(
      join(work, "ml-tiny", "movies.csv"),
      "movieId,title,genres\n1,Toy Story (1995),Animation\n",
    );
    execFileSync("zip", ["-q", "-r", "ml-tiny.zip", "ml-tiny"], { cwd: work });
    const zip = readFileSync(join(work, "ml-tiny.zip"));
    md5 = createHash("md5").update(zip).digest("hex");
    server = createServer((req, res) => {
      if (req.url === "/ml-tiny.zip") res.end(zip);
      // GroupLens' checksum files use the BSD layout.
      else if (req.url === "/ml-tiny.zip.md5") res.end(`MD5 (ml-tiny.zip) = ${md5}\n`);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }

  function fetchInto(url: string, pinned?: string) {
    const dest = mkdtempSync(join(tmpdir(), "moviebot-data-"));
    cleanup.push(dest);
    // Async spawn: the local server lives in this process and must keep answering.
    return new Promise<{ status: number | null; stderr: string; dest: string }>((resolve) => {
      const args = [
        join(REPO_ROOT, "scripts/fetch-movielens.sh"),
        url,
        dest,
        ...(pinned ? [pinned] : []),
      ];
      const child = spawn("bash", args);
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("close", (status) => resolve({ status, stderr, dest }));
    });
  }

  it.skipIf(tools.length > 0)("unpacks the data set when the published MD5 matches", async () => {
    await serveZip();
    const result = await fetchInto(`${base}/ml-tiny.zip`);
    expect(result.stderr).not.toMatch(/mismatch/);
    expect(result.status).toBe(0);
    expect(readFileSync(join(result.dest, "ml-tiny", "movies.csv"), "utf8")).toContain("Toy Story");
  });

  it.skipIf(tools.length > 0)(
    "fails and leaves nothing behind when the MD5 does not match",
    async () => {
      await serveZip();
      const result = await fetchInto(`${base}/ml-tiny.zip`, "0".repeat(32));
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/checksum mismatch/);
      expect(existsSync(join(result.dest, "ml-tiny"))).toBe(false);
    },
  );

  it.skipIf(tools.length > 0)("refuses a download it cannot verify", async () => {
    await serveZip();
    const result = await fetchInto(`${base}/ml-tiny.zip?unpublished`);
    expect(result.status).not.toBe(0);
    expect(existsSync(join(result.dest, "ml-tiny"))).toBe(false);
  });
});

describe("the build the image runs", () => {
  it("copies non-TypeScript assets such as .sql files beside the compiled modules", () => {
    const root = mkdtempSync(join(tmpdir(), "moviebot-assets-"));
    cleanup.push(root);
    mkdirSync(join(root, "core", "recommend", "sql"), { recursive: true });
    mkdirSync(join(root, "bot"));
    writeFileSync(join(root, "core", "recommend", "sql", "recommend_for_items.sql"), "SELECT 1");
    writeFileSync(join(root, "core", "recommend", "model.ts"), "export {};");
    writeFileSync(join(root, "bot", "main.ts"), "export {};");
    const copied = copyBuildAssets(root, join(root, "dist"));
    expect(copied).toEqual([join("core", "recommend", "sql", "recommend_for_items.sql")]);
    expect(
      readFileSync(
        join(root, "dist", "core", "recommend", "sql", "recommend_for_items.sql"),
        "utf8",
      ),
    ).toBe("SELECT 1");
    expect(existsSync(join(root, "dist", "bot", "main.ts"))).toBe(false);
  });

  it("compiles to JavaScript that starts the server and answers /healthz", async () => {
    // Inside the repository (git-ignored .cache) so the compiled code resolves node_modules.
    const out = join(REPO_ROOT, ".cache", `build-test-${process.pid}`);
    cleanup.push(out);
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [
      tsc,
      "-p",
      join(REPO_ROOT, "tsconfig.build.json"),
      "--outDir",
      out,
    ]);
    copyBuildAssets(REPO_ROOT, out);
    const main = join(out, "bot", "main.js");
    expect(readFileSync(main, "utf8")).not.toMatch(/from "\.[^"]*\.ts"/);

    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, [main], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        PORT: String(port),
        LOG_LEVEL: "warn",
        MOVIELENS_DIR,
        DATA_DIR: join(out, "data"),
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    try {
      const status = await pollHealth(port, child);
      // 503 while the core loads, 200 once ready: either way the server is up and answering.
      expect([200, 503], stderr).toContain(status);
      // The web page's files came along (copied beside the compiled modules).
      await pollReady(port, child);
      for (const path of ["/", "/app.js", "/style.css"]) {
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(200);
      }
    } finally {
      child.kill();
    }
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function pollHealth(port: number, child: ChildProcess): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return response.status;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error("no answer on /healthz");
}

async function pollReady(port: number, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if ((await pollHealth(port, child)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the server never became ready");
}
