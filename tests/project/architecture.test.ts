import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The hexagon's rule (STYLE.md): core/ knows no chat platform, queue or HTTP framework, and never
// reaches into bot/. Adapters for those live in bot/; core declares the ports they implement.
const root = resolve(import.meta.dirname, "../..");
const FORBIDDEN = [
  /^@slack\//,
  /^discord\.js$/,
  /^@discordjs\//,
  /^discord-api-types/,
  /^bullmq$/,
  /^ioredis$/,
  /^express$/,
  /^prom-client$/,
  /^pino$/,
];

// Technologies only an adapter may talk to: the domain folders hold ports, models and algorithms.
const ADAPTER_ONLY = [
  /^@google-cloud\//,
  /^@elastic\//,
  /^pg$/,
  /^node:sqlite$/,
  /^csv-parse/,
  /^papaparse$/,
  /^yauzl$/,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(
      /(?:import|export)[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ].map((m) => (m[1] ?? m[2]) as string);
}

describe("architecture", () => {
  const coreFiles = sourceFiles(join(root, "core"));

  it("finds the core's sources", () => {
    expect(coreFiles.length).toBeGreaterThan(30);
  });

  it("keeps chat platforms, the queue, HTTP frameworks and logging out of core/", () => {
    const offending = coreFiles.flatMap((file) =>
      imports(file)
        .filter((spec) => FORBIDDEN.some((rule) => rule.test(spec)))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("keeps cloud SDKs and database clients in core/adapters/, out of the domain folders", () => {
    const adapters = join(root, "core", "adapters");
    const offending = coreFiles
      .filter((file) => !file.startsWith(adapters))
      .flatMap((file) =>
        imports(file)
          .filter((spec) => ADAPTER_ONLY.some((rule) => rule.test(spec)))
          .map((spec) => `${relative(root, file)} imports ${spec}`),
      );
    expect(offending).toEqual([]);
  });

  it("never imports bot/ from core/", () => {
    const offending = coreFiles.flatMap((file) =>
      imports(file)
        .filter(
          (spec) => spec.startsWith(".") && resolve(file, "..", spec).startsWith(join(root, "bot")),
        )
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("reads process.env only in the config module and entry points", () => {
    const allowed = new Set(["bot/config.ts", "bin/moviebot.js"]);
    const readers = [...sourceFiles(join(root, "core")), ...sourceFiles(join(root, "bot"))]
      .filter((file) => /process\.env\b/.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file))
      .filter((file) => !allowed.has(file));
    expect(readers).toEqual([]);
  });
});
