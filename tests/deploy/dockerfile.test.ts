import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/deploy-script.ts";

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  base: string;
  name: string;
  instructions: Instruction[];
}

/** Dockerfile instructions (continuation lines joined, comments dropped), grouped by stage. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    if (instruction.keyword === "FROM") {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`unreadable FROM: ${line}`);
      stages.push({ base: match[1] as string, name: match[2] ?? "", instructions: [] });
    } else if (stages.length === 0 && instruction.keyword === "ARG") {
      const [name = "", value = ""] = instruction.args.split("=");
      args.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { args, stages };
}

const { args, stages } = parseDockerfile(readFileSync(join(REPO_ROOT, "Dockerfile"), "utf8"));
const stage = (name: string) => {
  const found = stages.find((s) => s.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};
const runs = (s: Stage) => s.instructions.filter((i) => i.keyword === "RUN").map((i) => i.args);
const resolveBase = (base: string) =>
  base.replace(/^\$\{(\w+)\}$/, (_, name) => args.get(name) ?? "");

describe("Dockerfile", () => {
  it("has named deps, build, movielens and runtime stages on Node 24 slim", () => {
    expect(stages.map((s) => s.name)).toEqual(["deps", "build", "movielens", "runtime"]);
    expect(resolveBase(stage("runtime").base)).toBe("node:24-slim");
    expect(stage("build").base).toBe("deps");
  });

  it("compiles with npm run build from a full install of exactly what the lockfile pins", () => {
    expect(runs(stage("deps")).join("\n")).toMatch(/^npm ci\b/m);
    expect(runs(stage("deps")).join("\n")).not.toMatch(/--omit=dev/);
    expect(runs(stage("build"))).toContain("npm run build");
  });

  it("installs only production dependencies in the runtime and copies the compiled code", () => {
    const runtime = stage("runtime");
    expect(runs(runtime).some((r) => /^npm ci\b.*--omit=dev/.test(r))).toBe(true);
    // `npm install` would resolve afresh instead of installing the lockfile's tree.
    expect(stages.flatMap(runs).filter((r) => /\bnpm (install|i)\b/.test(r))).toEqual([]);
    const copies = runtime.instructions.filter((i) => i.keyword === "COPY").map((i) => i.args);
    expect(copies).toContain("--from=build /app/dist ./dist");
    // No sources or dev tooling in the runtime: only the lockfile pair, dist and data.
    expect(copies.filter((c) => !c.startsWith("--from="))).toEqual([
      "package.json package-lock.json ./",
    ]);
  });

  it("runs as a non-root user, starts the bot, and leaves health checks to Cloud Run", () => {
    const runtime = stage("runtime");
    const users = runtime.instructions.filter((i) => i.keyword === "USER").map((i) => i.args);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const keywords = runtime.instructions.map((i) => i.keyword);
    expect(keywords.indexOf("USER")).toBeLessThan(keywords.indexOf("CMD"));
    const cmd = runtime.instructions.filter((i) => i.keyword === "CMD");
    expect(cmd.map((i) => JSON.parse(i.args))).toEqual([["node", "dist/bot/main.js"]]);
    expect(stages.flatMap((s) => s.instructions).some((i) => i.keyword === "HEALTHCHECK")).toBe(
      false,
    );
  });

  it("fetches MovieLens only when built with MOVIELENS_FETCH=1, checking its MD5", () => {
    const movielens = stage("movielens");
    const fetchArg = movielens.instructions.find(
      (i) => i.keyword === "ARG" && i.args.startsWith("MOVIELENS_FETCH"),
    );
    expect(fetchArg?.args).toBe("MOVIELENS_FETCH=0");
    const fetch = runs(movielens).join("\n");
    expect(fetch).toMatch(/if \[ "\$MOVIELENS_FETCH" = "1" \]; then .*fetch-movielens .*; fi/);
    expect(readFileSync(join(REPO_ROOT, "scripts/fetch-movielens.sh"), "utf8")).toMatch(/md5sum/);
    // The only data reaching the runtime is what this stage produced.
    const copies = stage("runtime")
      .instructions.filter((i) => i.keyword === "COPY")
      .map((i) => i.args);
    expect(copies).toContain("--from=movielens --chown=node:node /data ./data");
  });

  it("keeps data, dependencies, secrets and history out of the build context", () => {
    const ignored = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith("#"));
    for (const entry of ["node_modules", "data", ".cache", ".git", "tests", ".env"]) {
      expect(ignored).toContain(entry);
    }
    // Everything the build stage copies must stay in the context.
    const copied = stage("build")
      .instructions.filter((i) => i.keyword === "COPY")
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const path of copied) expect(ignored).not.toContain(path.replace(/^\.\//, ""));
  });
});
