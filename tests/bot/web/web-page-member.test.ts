import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../../bot/app.ts";
import { loadConfig } from "../../../bot/config.ts";
import { chromiumRequirement, launchChromium, testOutput } from "../../support/browser.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { describeWith } from "../../support/requirements.ts";

// The browser's member gets what Slack and Discord members get: 👍 on cards, then "Picked for
// you" from those likes, with 👎 and Seen it films left out. Real Chromium, real server, SQLite.

interface ApiCard {
  movieId: number;
  title: string;
}

describeWith(chromiumRequirement)("the web page's member in Chromium", () => {
  let app: RunningApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: "0",
      LOG_LEVEL: "silent",
      MOVIELENS_DIR,
      CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-webm-cache-")),
      DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-webm-data-")),
    });
    app = await startApp(config, pino({ level: "silent" }));
    base = `http://127.0.0.1:${app.port}`;
    await app.ready;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openPage() {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    return { page, problems };
  }

  const heading = (page: Page) => page.locator("#results-heading").textContent();
  const cardTitles = (page: Page) => page.locator("#cards .card-title").allTextContents();
  /** The movieId of the nth card, from its title's id ("title-<movieId>"). */
  const cardId = async (page: Page, n: number) =>
    Number((await page.locator("#cards .card-title").nth(n).getAttribute("id"))?.slice(6));

  async function press(page: Page, n: number, name: string) {
    const button = page.locator("#cards .card").nth(n).getByRole("button", { name, exact: true });
    await button.click();
    await expect.poll(() => button.getAttribute("aria-pressed")).toBe("true");
  }

  async function recommendNow(page: Page) {
    const answered = page.waitForResponse((r) => r.url().includes("/api/me/recommend?"));
    await page.getByRole("button", { name: "Recommend" }).click();
    return (await (await answered).json()) as { results: ApiCard[]; pickedForYou: boolean };
  }

  it("likes three cards, then recommends from those likes, leaving out 👎 and Seen it", async () => {
    const { page, problems } = await openPage();
    await page.goto(base);
    await expect.poll(() => heading(page)).toBe("Popular picks");
    await expect.poll(() => page.locator("#cards .card").count()).toBeGreaterThan(4);

    // 👍 on three popular picks: a profile's worth.
    const liked: number[] = [];
    for (const n of [0, 1, 2]) {
      liked.push(await cardId(page, n));
      await press(page, n, "I like it");
    }

    // Nothing picked: the answer comes from the likes, as Slack's /recommend does.
    const body = await recommendNow(page);
    expect(body.pickedForYou).toBe(true);
    await expect.poll(() => heading(page)).toBe("Picked for you");
    const shown = await cardTitles(page);
    expect(shown.length).toBeGreaterThan(3);
    const ids = await Promise.all(shown.map((_, n) => cardId(page, n)));
    for (const id of liked) expect(ids).not.toContain(id);
    // The same movies anyone gets for those three picks (newest like first), liked ones aside.
    const limit = shown.length + liked.length;
    const api = (await (
      await fetch(`${base}/api/recommend?liked=${[...liked].reverse().join(",")}&limit=${limit}`)
    ).json()) as { results: ApiCard[] };
    const expected = api.results.filter((c) => !liked.includes(c.movieId)).map((c) => c.title);
    expect(new Set(shown)).toEqual(new Set(expected.slice(0, shown.length)));
    await page.screenshot({ path: testOutput("picked-for-you.png"), fullPage: true });

    // 👎 on the first and Seen it on the second: neither comes back.
    const disliked = await cardId(page, 0);
    const seen = await cardId(page, 1);
    await press(page, 0, "Not for me");
    await press(page, 1, "Seen it");
    await recommendNow(page);
    await expect.poll(() => heading(page)).toBe("Picked for you");
    await expect
      .poll(async () => Promise.all((await cardTitles(page)).map((_, n) => cardId(page, n))))
      .not.toContain(disliked);
    const after = await Promise.all((await cardTitles(page)).map((_, n) => cardId(page, n)));
    expect(after).not.toContain(seen);
    expect(after.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("another browser is another member: it still gets the popular picks", async () => {
    const { page, problems } = await openPage();
    await page.goto(base);
    await expect.poll(() => heading(page)).toBe("Popular picks");
    const body = await recommendNow(page);
    expect(body.pickedForYou).toBe(false);
    expect(problems).toEqual([]);
  });

  it("shows where to watch, with JustWatch credited, and the trailer when the API has them", async () => {
    const { page, problems } = await openPage();
    // The server's answer, with providers as a TMDB key would bring them (none is set here).
    await page.route(/\/api\/me\/recommend\?/, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { results: Record<string, unknown>[] };
      const [first, second] = body.results;
      if (first) {
        first.watch = {
          region: "CH",
          link: "https://www.themoviedb.org/movie/862/watch?locale=CH",
          flatrate: ["Netflix", "Max"],
          rent: ["Apple TV"],
          buy: [],
          attribution: "JustWatch",
        };
        first.trailerUrl = "https://www.youtube.com/watch?v=abc";
      }
      if (second) second.trailerUrl = "https://www.youtube.com/watch?v=def";
      await route.fulfill({ response, json: body });
    });
    await page.goto(base);
    const cards = page.locator("#cards .card");
    await expect.poll(() => cards.count()).toBeGreaterThan(2);
    const stream = cards.first().getByRole("link", { name: /^Stream: Netflix, Max in CH/ });
    expect(await stream.getAttribute("href")).toBe(
      "https://www.themoviedb.org/movie/862/watch?locale=CH",
    );
    expect(await cards.first().locator(".card-watch").textContent()).toContain("JustWatch");
    expect(
      await cards
        .first()
        .getByRole("link", { name: /^Trailer of / })
        .getAttribute("href"),
    ).toBe("https://www.youtube.com/watch?v=abc");
    // A trailer alone, and nothing at all: no empty line.
    expect(await cards.nth(1).locator(".card-watch").textContent()).toBe("Trailer");
    expect(await cards.nth(2).locator(".card-watch").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
