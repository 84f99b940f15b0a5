import { createHmac } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../../bot/app.ts";
import { loadConfig } from "../../../bot/config.ts";
import { MOVIELENS_DIR } from "../../support/data.ts";

// The page's member endpoints and headers through the real `npm start` server.
const SECRET = "web-member-test-secret-0123456789abcdef";
const IDLE_DAYS = 30;
let app: RunningApp;
let base: string;

beforeAll(async () => {
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: "silent",
    MOVIELENS_DIR,
    CACHE_DIR: mkdtempSync(join(tmpdir(), "moviebot-member-cache-")),
    DATA_DIR: mkdtempSync(join(tmpdir(), "moviebot-member-data-")),
    SESSION_SECRET: SECRET,
    SESSION_IDLE_DAYS: String(IDLE_DAYS),
  });
  app = await startApp(config, pino({ level: "silent" }));
  base = `http://127.0.0.1:${app.port}`;
  await app.ready;
});

afterAll(() => app?.close());

/** cookie-parser's signed form: `s:<value>.<base64 HMAC-SHA256, unpadded>`, URL-encoded. */
function signedCookie(value: string, secret = SECRET): string {
  const mac = createHmac("sha256", secret).update(value).digest("base64").replace(/=+$/, "");
  return `moviebot_member=${encodeURIComponent(`s:${value}.${mac}`)}`;
}

function memberCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith("moviebot_member="));
}

/** The member id inside a Set-Cookie (the test is the browser: it may look). */
function memberId(setCookie: string | undefined): string | undefined {
  const raw = decodeURIComponent(setCookie?.split(";")[0]?.split("=")[1] ?? "");
  return /^s:([A-Za-z0-9_-]{24})\.\d+\./.exec(raw)?.[1];
}

async function me(headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/api/me`, { headers });
  return { response, body: (await response.json()) as { member: { new: boolean } } };
}

describe("the page", () => {
  it("is served at / with a policy allowing only its own code and TMDB's images", async () => {
    const response = await fetch(`${base}/`, { headers: { "accept-encoding": "gzip" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-encoding")).toBe("gzip");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("img-src 'self' https://image.tmdb.org");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    expect(html).toContain('role="combobox"');
    // No inline script or style for the policy to refuse.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle="/);
  });

  it("is compressed (above), but the public JSON API is not, even when asked", async () => {
    const gzip = { "accept-encoding": "gzip, br" };
    const popular = await fetch(`${base}/api/popular?limit=20`, { headers: gzip });
    expect(popular.status).toBe(200);
    expect(popular.headers.get("content-encoding")).toBeNull();
    // Big enough that the middleware would have compressed it.
    expect((await popular.text()).length).toBeGreaterThan(2000);
    const suggest = await fetch(`${base}/api/suggest?q=the&limit=10`, { headers: gzip });
    expect(suggest.headers.get("content-encoding")).toBeNull();
    expect(((await suggest.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
  });

  it("serves its script and stylesheet with their types, and leaves the API's 404 alone", async () => {
    const script = await fetch(`${base}/app.js`);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.headers.get("cache-control")).toBe("no-cache");
    expect((await fetch(`${base}/style.css`)).headers.get("content-type")).toMatch(/^text\/css/);
    const missing = await fetch(`${base}/nope.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: "not_found" });
    // A member path that does not exist answers as every other 404 does, code included.
    const unknown = await fetch(`${base}/api/me/nothing-here`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: "Unknown member path: POST /api/me/nothing-here",
      code: "not_found",
    });
  });
});

describe("the web member", () => {
  it("is issued as an HTTP-only, signed, SameSite=Lax cookie that expires after the idle period", async () => {
    const { response, body } = await me();
    expect(body.member).toEqual({ platform: "web", new: true, forgetAfterDays: IDLE_DAYS });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const cookie = memberCookie(response);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toContain(`Max-Age=${IDLE_DAYS * 86_400}`);
    expect(cookie).not.toMatch(/; Secure/);
    expect(memberId(cookie)).toBeDefined();
  });

  it("is the same member on the next visit, without a new cookie", async () => {
    const first = memberCookie((await me()).response) as string;
    const again = await me({ cookie: first.split(";")[0] as string });
    expect(again.body.member.new).toBe(false);
    expect(memberCookie(again.response)).toBeUndefined();
  });

  it("gets a Secure cookie behind HTTPS (X-Forwarded-Proto, as Cloud Run sends it)", async () => {
    const cookie = memberCookie((await me({ "x-forwarded-proto": "https" })).response);
    expect(cookie).toMatch(/; Secure/);
  });

  it("cannot be forged: a changed id or another key's signature makes a new member", async () => {
    const issued = memberCookie((await me()).response) as string;
    const id = memberId(issued) as string;
    const forgedId = `${id.startsWith("A") ? "B" : "A"}${id.slice(1)}`;
    const tampered = issued.split(";")[0]?.replace(encodeURIComponent(id), forgedId) as string;
    for (const cookie of [
      tampered,
      signedCookie(`${id}.${Math.floor(Date.now() / 1000)}`, "x".repeat(40)),
    ]) {
      const answer = await me({ cookie });
      expect(answer.body.member.new).toBe(true);
      const fresh = memberId(memberCookie(answer.response));
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe(id);
    }
  });

  it("is forgotten after the idle period, and kept fresh by visits before it", async () => {
    const id = "abcdefghijklmnopqrstuvwx";
    const now = Math.floor(Date.now() / 1000);
    const stale = await me({ cookie: signedCookie(`${id}.${now - (IDLE_DAYS + 1) * 86_400}`) });
    expect(stale.body.member.new).toBe(true);
    expect(memberId(memberCookie(stale.response))).not.toBe(id);

    const lastWeek = await me({ cookie: signedCookie(`${id}.${now - 7 * 86_400}`) });
    expect(lastWeek.body.member.new).toBe(false);
    // The visit restarts the idle clock: same member, new stamp.
    expect(memberId(memberCookie(lastWeek.response))).toBe(id);
  });

  it("forget me: DELETE /api/me drops the cookie", async () => {
    const issued = (memberCookie((await me()).response) as string).split(";")[0] as string;
    const response = await fetch(`${base}/api/me`, {
      method: "DELETE",
      headers: { cookie: issued },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ forgotten: true, rows: 0 });
    expect(memberCookie(response)).toMatch(/^moviebot_member=;.*Expires=Thu, 01 Jan 1970/);
  });

  it("refuses member changes from other sites", async () => {
    for (const headers of [
      { origin: "https://elsewhere.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
    ]) {
      const response = await fetch(`${base}/api/me`, { method: "DELETE", headers });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: "cross_site" });
    }
    const own = await fetch(`${base}/api/me`, {
      method: "DELETE",
      headers: { origin: base, "sec-fetch-site": "same-origin" },
    });
    expect(own.status).toBe(200);
  });
});

describe("POST /api/me/feedback", () => {
  const post = (body: string, contentType = "application/json") =>
    fetch(`${base}/api/me/feedback`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });

  it("takes the member from the cookie only: a body naming one is refused", async () => {
    const response = await post(
      JSON.stringify({ movieId: 1, kind: "like", on: true, user: "someone-else" }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: "invalid_input",
      error: expect.stringMatching(/user/),
    });
  });

  it.each([
    [JSON.stringify({ movieId: "1", kind: "like", on: true }), /movieId must be a number/],
    [JSON.stringify({ movieId: 1.5, kind: "like", on: true }), /whole number/],
    [
      JSON.stringify({ movieId: 1, kind: "love", on: true }),
      /kind must be one of like, dislike, seen, watchlist/,
    ],
    [JSON.stringify({ movieId: 1, kind: "like" }), /on must be true/],
    [JSON.stringify([1]), /JSON object/],
    ["{not json", /not valid JSON/],
  ])("answers 400 with a message for %s", async (body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it("wants JSON", async () => {
    const response = await post("movieId=1&kind=like&on=true", "application/x-www-form-urlencoded");
    expect(response.status).toBe(415);
  });

  it("is kept for the cookie's member only, like Slack's and Discord's members, until forget me", async () => {
    const cookie = (memberCookie((await me()).response) as string).split(";")[0] as string;
    const other = (memberCookie((await me()).response) as string).split(";")[0] as string;
    const click = (movieId: number, kind: string, on: boolean, as = cookie) =>
      fetch(`${base}/api/me/feedback`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: as },
        body: JSON.stringify({ movieId, kind, on }),
      });
    const tasteOf = async (as: string) =>
      (await (await fetch(`${base}/api/me`, { headers: { cookie: as } })).json()) as {
        feedback: boolean;
        taste: Record<string, Record<string, boolean>>;
      };

    const liked = await click(1, "like", true);
    expect(liked.status).toBe(200);
    expect(await liked.json()).toEqual({
      movieId: 1,
      taste: { like: true, dislike: false, seen: false, watchlist: false },
    });
    // Twice is once; 👎 replaces 👍; Watchlist sits beside it.
    expect((await click(1, "like", true)).status).toBe(200);
    await click(2, "like", true);
    await click(2, "dislike", true);
    await click(3, "watchlist", true);
    const mine = await tasteOf(cookie);
    expect(mine.feedback).toBe(true);
    expect(mine.taste).toEqual({
      "1": { like: true, dislike: false, seen: false, watchlist: false },
      "2": { like: false, dislike: true, seen: false, watchlist: false },
      "3": { like: false, dislike: false, seen: false, watchlist: true },
    });
    // Undo.
    const undone = await click(3, "watchlist", false);
    expect(((await undone.json()) as { taste: Record<string, boolean> }).taste.watchlist).toBe(
      false,
    );
    // Another browser sees nothing of it.
    expect((await tasteOf(other)).taste).toEqual({});

    const forgot = await fetch(`${base}/api/me`, { method: "DELETE", headers: { cookie } });
    const gone = (await forgot.json()) as { forgotten: boolean; rows: number };
    expect(gone.forgotten).toBe(true);
    expect(gone.rows).toBeGreaterThan(0);
    // Even a browser that kept the old cookie finds nothing left.
    expect((await tasteOf(cookie)).taste).toEqual({});
  });

  it("refuses a click on a movie the catalogue does not have", async () => {
    const response = await post(JSON.stringify({ movieId: 999_999_998, kind: "like", on: true }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/No movie has movieId/);
  });
});
