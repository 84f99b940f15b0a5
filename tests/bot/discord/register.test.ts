import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commandManifest } from "../../../bot/discord/commands/index.ts";
import { MOVIE_OPTIONS } from "../../../bot/discord/commands/recommend.ts";
import { MANIFEST_PATH } from "../../../scripts/discord-manifest.ts";
import { RestStandIn } from "./support.ts";

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, "../../../scripts/discord-register.ts");

describe("Discord command manifest", () => {
  it("equals the builders' toJSON() (run `npm run discord:manifest` after changing a command)", () => {
    expect(JSON.parse(readFileSync(MANIFEST_PATH, "utf8"))).toEqual(commandManifest());
  });

  it("declares /recommend with five optional autocomplete movie options, and /popular", () => {
    const [recommend, popular] = commandManifest();
    expect(recommend?.name).toBe("recommend");
    const movies = recommend?.options?.filter((o) => o.name !== "mine") ?? [];
    expect(movies.map((o) => o.name)).toEqual([...MOVIE_OPTIONS]);
    for (const option of movies) {
      expect(option).toMatchObject({ type: 3, autocomplete: true, required: false });
    }
    // "On my services": a boolean option.
    expect(recommend?.options?.find((o) => o.name === "mine")).toMatchObject({ type: 5 });
    expect(popular?.name).toBe("popular");
  });

  it("declares /region (a two-letter code) and /services", () => {
    const byName = new Map(commandManifest().map((c) => [c.name, c]));
    expect(byName.get("region")?.options).toEqual([
      expect.objectContaining({ name: "code", type: 3, min_length: 2, max_length: 2 }),
    ]);
    expect(byName.get("services")?.options).toEqual([
      expect.objectContaining({ name: "names", type: 3 }),
    ]);
  });
});

describe("/movienight in the manifest", () => {
  it("has start (five user options), schedule (day choices, time, zone with autocomplete), off, list, help", () => {
    const night = commandManifest().find((c) => c.name === "movienight");
    const subs = night?.options ?? [];
    expect(subs.map((o) => [o.name, o.type])).toEqual([
      ["start", 1],
      ["schedule", 1],
      ["off", 1],
      ["list", 1],
      ["help", 1],
    ]);
    const start = subs[0] as { options: { name: string; type: number; required: boolean }[] };
    expect(start.options.map((o) => [o.name, o.type, o.required])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [`member${i}`, 6, false]),
    );
    const schedule = subs[1] as {
      options: { name: string; required: boolean; autocomplete?: boolean; choices?: unknown[] }[];
    };
    expect(schedule.options.map((o) => [o.name, o.required])).toEqual([
      ["day", true],
      ["time", true],
      ["zone", true],
    ]);
    expect(schedule.options[0]?.choices).toHaveLength(7);
    expect(schedule.options[2]?.autocomplete).toBe(true);
  });
});

describe("npm run discord:register", () => {
  let rest: RestStandIn;

  beforeEach(async () => {
    rest = new RestStandIn();
    rest.responder = (req, res) => {
      const body = (req.body as { name: string }[]).map((c, i) => ({ ...c, id: String(i + 1) }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    await rest.start();
  });

  afterEach(() => rest.stop());

  function register(env: Record<string, string>) {
    return run(process.execPath, [SCRIPT], {
      env: { PATH: process.env.PATH, DISCORD_API_URL: rest.url, ...env },
    });
  }

  it("PUTs the manifest to the global commands of the application, with the bot token", async () => {
    const { stdout } = await register({
      DISCORD_APPLICATION_ID: "123",
      DISCORD_BOT_TOKEN: "bot-secret",
    });
    expect(stdout).toContain(
      "Registered /recommend, /popular, /movienight, /region, /services, /watchlist, /export, /forget-me globally",
    );
    expect(rest.requests).toHaveLength(1);
    const [put] = rest.requests;
    expect(put?.method).toBe("PUT");
    expect(put?.path).toBe("/api/v10/applications/123/commands");
    expect(put?.headers.authorization).toBe("Bot bot-secret");
    expect(put?.body).toEqual(commandManifest());
  });

  it("registers to one guild when DISCORD_GUILD_ID is set", async () => {
    const { stdout } = await register({
      DISCORD_APPLICATION_ID: "123",
      DISCORD_BOT_TOKEN: "bot-secret",
      DISCORD_GUILD_ID: "777",
    });
    expect(stdout).toContain("to guild 777");
    expect(rest.requests[0]?.path).toBe("/api/v10/applications/123/guilds/777/commands");
  });

  it("fails clearly, without calling Discord, when the credentials are missing", async () => {
    const error = await register({ DISCORD_APPLICATION_ID: "123" }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain("DISCORD_BOT_TOKEN");
    expect(rest.requests).toHaveLength(0);
  });

  it("reports Discord's refusal without printing the token", async () => {
    rest.responder = (_req, res) =>
      res
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ message: "401: Unauthorized", code: 0 }));
    const error = await register({
      DISCORD_APPLICATION_ID: "123",
      DISCORD_BOT_TOKEN: "bot-secret",
    }).then(
      () => null,
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect(error?.code).toBe(1);
    expect(error?.stderr).toContain("Unauthorized");
    expect(`${error?.stderr}${error?.stdout}`).not.toContain("bot-secret");
  });
});
