import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { describeWith, realMovieLens } from "../../support/requirements.ts";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "../../..");
const node = join(root, "node_modules/.bin/node");
// One cache for the file: the first command trains (small model), the others load it.
const env = {
  ...process.env,
  MOVIELENS_DIR,
  CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-cli-")),
  MF_FACTORS: "8",
  MF_ITERATIONS: "2",
  LOG_LEVEL: "warn",
};

async function moviebot(...args: string[]) {
  try {
    const { stdout, stderr } = await run(node, [join(root, "bin/moviebot.js"), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each test runs the CLI as child processes (each builds the search index; the first trains a
// small model): on a machine busy with other work that takes longer than vitest's default.
const CLI_TIMEOUT_MS = 90_000;

describeWith(realMovieLens)("moviebot CLI", () => {
  it(
    "suggests titles as a table and as JSON",
    async () => {
      const table = await moviebot("suggest", "heat", "1995");
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/Heat\s+│\s+1995/);
      const json = await moviebot("suggest", "--json", "-n", "2", "toy", "sto");
      expect(JSON.parse(json.stdout).results[0]).toEqual({
        movieId: 1,
        title: "Toy Story",
        year: 1995,
        label: "Toy Story (1995)",
      });
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "recommends from titles and ids, naming what it could not find",
    async () => {
      const { code, stdout } = await moviebot(
        "recommend",
        "--json",
        "-n",
        "5",
        "Toy Story, Heat 1995",
        "2571",
        "qqqzzzxxy",
      );
      expect(code).toBe(0);
      const body = JSON.parse(stdout);
      expect(body.strategy).toBe("personalized");
      expect(body.results).toHaveLength(5);
      expect(body.unresolved).toEqual(["qqqzzzxxy"]);
      const ids = body.results.map((r: { movieId: number }) => r.movieId);
      expect(ids).not.toContain(1);
      expect(ids).not.toContain(6);
      expect(ids).not.toContain(2571);
      const table = await moviebot("recommend", "The Matrix");
      expect(table.stderr).toContain("Because you like: The Matrix");
      expect(table.stdout).toContain("Recommended for you");
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "says what each typed title matched, and skips a weak match naming the candidates",
    async () => {
      const table = await moviebot("recommend", "-n", "3", "Toy Stroy", "star wars");
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/Toy Stroy\s+│\s+Toy Story \(1995\)/);
      expect(table.stdout).toMatch(/star wars\s+│\s+skipped, could be: Star Wars: Episode IV/);
      expect(table.stderr).toContain('Skipped "star wars": could be several movies');
      expect(table.stderr).toContain("Because you like: Toy Story\n");
      const json = JSON.parse(
        (await moviebot("recommend", "--json", "Star Wars 5, star wars")).stdout,
      );
      expect(json.matches[0]).toMatchObject({
        typed: "Star Wars 5",
        movieId: 1196,
        label: "Star Wars: Episode V - The Empire Strikes Back (1980)",
        weak: null,
      });
      expect(json.matches[1]).toMatchObject({
        typed: "star wars",
        movieId: null,
        weak: "close_second",
      });
      expect(json.matches[1].candidates.map((c: { movieId: number }) => c.movieId)).toContain(260);
      const onlyWeak = await moviebot("recommend", "star wars");
      expect(onlyWeak.code).toBe(1);
      expect(onlyWeak.stderr).toMatch(/Skipped "star wars".*Episode IV - A New Hope \(1977\)/);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "lists popular picks",
    async () => {
      const { code, stdout } = await moviebot("popular", "--json", "-n", "3");
      expect(code).toBe(0);
      const body = JSON.parse(stdout);
      expect(body.strategy).toBe("popular");
      expect(body.results).toHaveLength(3);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "answers bad input with a message and a non-zero exit, never a stack trace",
    async () => {
      const badLimit = await moviebot("popular", "-n", "0");
      expect(badLimit.code).not.toBe(0);
      expect(badLimit.stderr).toMatch(/between 1 and 50/);
      const nothing = await moviebot("recommend", "qqqzzzxxy");
      expect(nothing.code).toBe(1);
      expect(nothing.stderr).toMatch(/No movie matched: qqqzzzxxy/);
      const badConfig = await run(node, [join(root, "bin/moviebot.js"), "popular"], {
        env: { ...env, MF_FACTORS: "lots" },
      }).catch((e: { code: number; stderr: string }) => e);
      expect((badConfig as { code: number }).code).toBe(2);
      expect((badConfig as { stderr: string }).stderr).toMatch(/MF_FACTORS/);
      expect((badConfig as { stderr: string }).stderr).not.toMatch(/at .*\.ts:\d+/);
    },
    CLI_TIMEOUT_MS,
  );
});
