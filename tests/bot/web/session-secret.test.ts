import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../bot/config.ts";
import { loadSessionSecret, SESSION_SECRET_FILE } from "../../../bot/web/session-secret.ts";

const logger = pino({ level: "silent" });
const dataDir = () => join(mkdtempSync(join(tmpdir(), "moviebot-secret-")), "data");

describe("the session secret", () => {
  it("is SESSION_SECRET when set, and then nothing is written", async () => {
    const dir = dataDir();
    const secret = "s".repeat(32);
    expect(await loadSessionSecret({ SESSION_SECRET: secret, DATA_DIR: dir }, logger)).toBe(secret);
    expect(existsSync(join(dir, SESSION_SECRET_FILE))).toBe(false);
  });

  it("is generated once into DATA_DIR, readable by the bot only, and kept across restarts", async () => {
    const dir = dataDir();
    const first = await loadSessionSecret({ DATA_DIR: dir }, logger);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, SESSION_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(await loadSessionSecret({ DATA_DIR: dir }, logger)).toBe(first);
  });

  it("is one secret when two processes start at once", async () => {
    const dir = dataDir();
    const secrets = await Promise.all(
      Array.from({ length: 5 }, () => loadSessionSecret({ DATA_DIR: dir }, logger)),
    );
    expect(new Set(secrets).size).toBe(1);
  });

  it("tightens a kept file others could read", async () => {
    const dir = dataDir();
    await loadSessionSecret({ DATA_DIR: dir }, logger);
    const file = join(dir, SESSION_SECRET_FILE);
    chmodSync(file, 0o644);
    await loadSessionSecret({ DATA_DIR: dir }, logger);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("refuses a kept file too short to be a key, naming the way out", async () => {
    const dir = dataDir();
    await loadSessionSecret({ DATA_DIR: dir }, logger);
    writeFileSync(join(dir, SESSION_SECRET_FILE), "short\n");
    await expect(loadSessionSecret({ DATA_DIR: dir }, logger)).rejects.toThrow(
      /session-secret holds no usable session secret.*set SESSION_SECRET/,
    );
  });

  it("as a setting must be long enough, and SESSION_IDLE_DAYS a number of days", () => {
    expect(() => loadConfig({ SESSION_SECRET: "too-short" })).toThrow(ConfigError);
    expect(() => loadConfig({ SESSION_SECRET: "too-short" })).toThrow(
      /SESSION_SECRET: must be at least 32/,
    );
    expect(() => loadConfig({ SESSION_IDLE_DAYS: "0" })).toThrow(/SESSION_IDLE_DAYS/);
    expect(loadConfig({}).SESSION_IDLE_DAYS).toBe(90);
  });
});
