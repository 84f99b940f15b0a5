import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../../bot/app.ts";
import { loadConfig } from "../../../bot/config.ts";
import { chromiumRequirement, launchChromium, testOutput } from "../../support/browser.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";
import { describeWith, realMovieLens } from "../../support/requirements.ts";

// The page in a real Chromium against the real `npm start` server (in process, on port 0), picking
// real MovieLens titles.

interface ApiCard {
  movieId: number;
  title: string;
}

describeWith(chromiumRequirement, realMovieLens)("the web page in Chromium", () => {
  let app: RunningApp;
  let base: string;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const config = loadConfig({
      PORT: "0",
      LOG_LEVEL: "silent",
      MOVIELENS_DIR,
      CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-web-cache-")),
      DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-web-data-")),
    });
    app = await startApp(config, pino({ level: "silent" }));
    base = `http://127.0.0.1:${app.port}`;
    await app.ready;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.close();
  });

  /** A fresh browser profile (no cookie, no saved picks), failing the test on any page error. */
  async function openPage(viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    return { page, problems };
  }

  // Strings, not functions: the tests are type-checked without the DOM's types.
  const activeId = (page: Page) => page.evaluate<string | undefined>("document.activeElement?.id");
  const cardTitles = (page: Page) => page.locator("#cards .card-title").allTextContents();

  async function apiTitles(path: string): Promise<string[]> {
    const body = (await (await fetch(`${base}${path}`)).json()) as { results: ApiCard[] };
    return body.results.map((card) => card.title);
  }

  it("loads under 100 KB compressed and shows the popular picks with nothing picked", async () => {
    const { page, problems } = await openPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    const urls = new Map<string, string>();
    const bytes = new Map<string, number>();
    cdp.on("Network.responseReceived", (event) => urls.set(event.requestId, event.response.url));
    cdp.on("Network.loadingFinished", (event) =>
      bytes.set(event.requestId, event.encodedDataLength),
    );

    await page.goto(base, { waitUntil: "networkidle" });
    await expect.poll(() => page.locator("#cards .card").count()).toBeGreaterThan(0);

    // Everything that crossed the wire (headers included), posters aside: they come from TMDB.
    let total = 0;
    for (const [id, size] of bytes) {
      const url = urls.get(id) ?? "";
      if (url.startsWith(base)) total += size;
    }
    console.log(`web page first load: ${total} bytes transferred over ${bytes.size} requests`);
    expect(total).toBeGreaterThan(1000);
    expect(total).toBeLessThan(100_000);
    const encoding = await page.evaluate<boolean>(`(() => {
      const [entry] = performance.getEntriesByName(new URL("/app.js", location.href).href);
      return entry ? entry.encodedBodySize < entry.decodedBodySize : false;
    })()`);
    expect(encoding, "app.js arrives compressed").toBe(true);

    await expect.poll(() => page.locator("#results-heading").textContent()).toBe("Popular picks");
    const shown = await cardTitles(page);
    expect(shown).toEqual(await apiTitles(`/api/popular?limit=${shown.length}`));
    await expect
      .poll(() => page.locator(".attribution").textContent())
      .toContain("This product uses the TMDB API but is not endorsed or certified by TMDB.");
    await page.screenshot({ path: testOutput("first-load.png") });
    expect(problems).toEqual([]);
  });

  it("finds Toy Story as you type, picks it, and shows what /api/recommend gives for it", async () => {
    const { page, problems } = await openPage();
    await page.goto(base);
    const search = page.getByRole("combobox", { name: "Movies you like" });
    await search.pressSequentially("toy sto", { delay: 40 });
    const option = page.getByRole("option", { name: "Toy Story (1995)", exact: true });
    await option.click();
    await expect
      .poll(() => page.locator("#picks .chip").allTextContents())
      .toEqual(["Toy Story (1995)×"]);
    expect(await search.inputValue()).toBe("");

    const answered = page.waitForResponse((r) => r.url().includes("/api/me/recommend?"));
    await page.getByRole("button", { name: "Recommend" }).click();
    const response = await answered;
    const url = new URL(response.url());
    expect(url.searchParams.get("liked")).toBe("1");
    const body = (await response.json()) as { results: ApiCard[] };
    await expect.poll(() => cardTitles(page)).toEqual(body.results.map((c) => c.title));
    // A new member has no history yet: the same titles the public API gives anyone for that pick.
    expect(await cardTitles(page)).toEqual(
      await apiTitles(`/api/recommend?liked=1&limit=${url.searchParams.get("limit")}`),
    );
    expect(await page.locator("#results-heading").textContent()).toBe(
      "Picked for you from 1 movie",
    );
    await expect
      .poll(() => page.locator("#cards .card-reason").first().textContent())
      .toMatch(/Toy Story/);
    await page.screenshot({ path: testOutput("toy-story.png"), fullPage: true });
    // The picture for the docs (docs/web-page.png): a pick made and what it brought.
    await page.setViewportSize({ width: 1000, height: 760 });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: testOutput("web-page.png") });
    expect(problems).toEqual([]);
  });

  it("works from the keyboard alone, as a combobox announces itself", async () => {
    const { page, problems } = await openPage();
    await page.goto(base);
    await expect.poll(() => page.locator("#cards .card").count()).toBeGreaterThan(0);

    // Tab: the skip link, then the search box.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const search = page.locator("#search");
    expect(await activeId(page)).toBe("search");
    expect(await search.getAttribute("aria-expanded")).toBe("false");

    // The answer for the whole word, not one for "hea" that it will replace.
    const answered = page.waitForResponse((r) => r.url().includes("/api/suggest?q=heat&"));
    await page.keyboard.type("heat", { delay: 30 });
    await answered;
    await expect.poll(() => search.getAttribute("aria-expanded")).toBe("true");
    const options = page.locator("#suggestions [role=option]");
    await expect.poll(() => options.count()).toBeGreaterThan(1);
    const labels = await options.allTextContents();

    await page.keyboard.press("ArrowDown");
    expect(await search.getAttribute("aria-activedescendant")).toBe("option-0");
    await page.keyboard.press("ArrowDown");
    expect(await search.getAttribute("aria-activedescendant")).toBe("option-1");
    expect(await options.nth(1).getAttribute("aria-selected")).toBe("true");
    expect(await options.nth(0).getAttribute("aria-selected")).toBe("false");
    await page.keyboard.press("ArrowUp");
    expect(await search.getAttribute("aria-activedescendant")).toBe("option-0");

    await page.keyboard.press("Escape");
    expect(await search.getAttribute("aria-expanded")).toBe("false");
    expect(await page.locator("#suggestions").isHidden()).toBe(true);
    expect(await search.getAttribute("aria-activedescendant")).toBeNull();

    // Down reopens the list; Enter picks the highlighted movie.
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => search.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator("#picks .chip span").allTextContents())
      .toEqual([labels[0]]);
    expect(await activeId(page)).toBe("search");

    // Tab to the chip's remove button, then to Recommend; Enter asks.
    await page.keyboard.press("Tab");
    expect(
      await page.evaluate<string | null>('document.activeElement?.getAttribute("aria-label")'),
    ).toBe(`Remove ${labels[0]}`);
    await page.keyboard.press("Tab");
    expect(await activeId(page)).toBe("recommend");
    const recommended = page.waitForResponse((r) => r.url().includes("/api/me/recommend?"));
    await page.keyboard.press("Enter");
    const body = (await (await recommended).json()) as { results: ApiCard[] };
    await expect.poll(() => cardTitles(page)).toEqual(body.results.map((c) => c.title));
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/Picked for you/);

    // Back to the chip and remove it: focus returns to the search box.
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    expect(await page.locator("#picks .chip").count()).toBe(0);
    expect(await activeId(page)).toBe("search");
    expect(problems).toEqual([]);
  });

  it("fits a 390 px phone without sideways scrolling", async () => {
    const { page, problems } = await openPage({ width: 390, height: 844 });
    await page.goto(base);
    const search = page.getByRole("combobox", { name: "Movies you like" });
    for (const [typed, label] of [
      ["toy sto", "Toy Story (1995)"],
      [
        "dr. strangelove",
        "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1964)",
      ],
    ] as const) {
      await search.pressSequentially(typed, { delay: 30 });
      await page.getByRole("option", { name: label, exact: true }).click();
    }
    await page.getByRole("button", { name: "Recommend" }).click();
    await expect
      .poll(() => page.locator("#results-heading").textContent())
      .toBe("Picked for you from 2 movies");
    await expect.poll(() => page.locator("#cards .card").count()).toBeGreaterThan(0);
    const widths = await page.evaluate<{ scroll: number; view: number }>(`({
      scroll: document.documentElement.scrollWidth,
      view: document.documentElement.clientWidth,
    })`);
    expect(widths.view).toBe(390);
    expect(widths.scroll).toBeLessThanOrEqual(widths.view);
    await page.screenshot({ path: testOutput("phone-390.png"), fullPage: true });
    expect(problems).toEqual([]);
  });

  it("cancels stale searches as you type on, and waits out a slow API", async () => {
    const { page } = await openPage();
    await page.goto(base);
    await expect.poll(() => page.locator("#cards .card").count()).toBeGreaterThan(0);
    // Every answer takes 700 ms: slower than the gap between keystrokes.
    await page.route(/\/api\/(suggest|me\/recommend)\?/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 700));
      await route.continue().catch(() => {
        // The page cancelled this request meanwhile.
      });
    });
    const cancelled: string[] = [];
    page.on("requestfailed", (request) => {
      if (request.url().includes("/api/suggest")) cancelled.push(new URL(request.url()).search);
    });
    const search = page.getByRole("combobox", { name: "Movies you like" });
    await search.pressSequentially("toy sto", { delay: 250 });
    await page.getByRole("option", { name: "Toy Story (1995)", exact: true }).waitFor();
    expect(cancelled.length).toBeGreaterThan(0);
    // Only the last query's answer is shown.
    for (const label of await page.locator("#suggestions [role=option]").allTextContents()) {
      expect(label.toLowerCase()).toContain("toy sto");
    }
    await page.getByRole("option", { name: "Toy Story (1995)", exact: true }).click();

    const recommend = page.getByRole("button", { name: /Recommend/ });
    await recommend.click();
    // While the answer is on its way the button says so and ignores more presses.
    await expect.poll(() => recommend.textContent()).toBe("Recommending…");
    expect(await recommend.getAttribute("aria-disabled")).toBe("true");
    await expect
      .poll(() => page.locator("#results-heading").textContent())
      .toBe("Picked for you from 1 movie");
    expect(await recommend.textContent()).toBe("Recommend");
  });

  it("keeps the picks and 👍 across a reload, and forgets both with the member on request", async () => {
    const { page, problems } = await openPage();
    await page.goto(base);
    await page.getByRole("combobox", { name: "Movies you like" }).pressSequentially("toy sto");
    await page.getByRole("option", { name: "Toy Story (1995)", exact: true }).click();
    // 👍 on the first card is kept by the member store.
    await page.getByRole("button", { name: "Recommend" }).click();
    await expect
      .poll(() => page.locator("#results-heading").textContent())
      .toBe("Picked for you from 1 movie");
    const first = page.locator("#cards .card").first();
    const liked = (await first.locator(".card-title").textContent()) as string;
    const firstLike = first.getByRole("button", { name: "I like it" });
    await firstLike.click();
    await expect.poll(() => firstLike.getAttribute("aria-pressed")).toBe("true");
    await page.reload();
    await expect
      .poll(() => page.locator("#picks .chip span").allTextContents())
      .toEqual(["Toy Story (1995)"]);
    // Remembered: a liked film is not news, so the same pick no longer brings it back.
    await expect.poll(() => page.locator("#cards .card").count()).toBeGreaterThan(0);
    expect(await cardTitles(page)).not.toContain(liked);
    const taste = await page.evaluate<Record<string, { like: boolean }>>(
      'fetch("/api/me").then((r) => r.json()).then((me) => me.taste)',
    );
    expect(Object.values(taste).filter((t) => t.like).length).toBe(2); // Toy Story and the 👍
    const cookie = async () =>
      (await page.context().cookies()).find((c) => c.name === "moviebot_member");
    await expect.poll(cookie).toBeDefined();
    const before = await cookie();
    expect(before).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate<string>("document.cookie")).toBe("");

    await page.getByRole("button", { name: "Forget me", exact: true }).click();
    await page.getByRole("button", { name: "Yes, forget me" }).click();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/Forgotten/);
    // The old member's cookie is gone; the popular picks shown next come with a new member.
    await expect.poll(async () => (await cookie())?.value).not.toBe(before?.value);
    expect(await page.locator("#picks .chip").count()).toBe(0);
    await expect.poll(() => page.locator("#results-heading").textContent()).toBe("Popular picks");
    const pressed = page.locator('#cards .feedback button[aria-pressed="true"]');
    expect(await pressed.count()).toBe(0);

    // The next visit is a new member.
    await page.reload();
    await expect.poll(cookie).toBeDefined();
    expect((await cookie())?.value).not.toBe(before?.value);
    expect(problems).toEqual([]);
  });
});
