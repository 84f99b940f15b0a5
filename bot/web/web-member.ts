import { randomBytes } from "node:crypto";
import type { Request, Response } from "express";

/** The cookie holding the web member: `<id>.<last visit, epoch seconds>`, signed. */
export const MEMBER_COOKIE = "moviebot_member";

/**
 * A member the way Slack and Discord members are named (platform + workspace + user): every
 * browser is a user of the one "web" workspace.
 */
export interface WebMember {
  platform: "web";
  workspace: "web";
  user: string;
  /** True when this request made the member (no cookie, a tampered one, or an expired one). */
  isNew: boolean;
  /** True when this request wrote the visit stamp: a new member, or the first visit in an hour. */
  stamped: boolean;
}

/** The visit stamp is rewritten at most this often, so not every answer carries a Set-Cookie. */
const RESTAMP_AFTER_MS = 60 * 60 * 1000;
const VALUE = /^([A-Za-z0-9_-]{24})\.(\d{1,12})$/;

export interface WebMemberOptions {
  idleDays: number;
  now?: () => number;
}

/**
 * Reads and issues the anonymous web member. The id only ever comes from the signed cookie
 * (cookie-parser checks the signature with SESSION_SECRET); nothing in a request's query or body
 * can name another member. The cookie is HTTP-only (page scripts never see it), SameSite=Lax (other
 * sites' forms and fetches do not carry it), and Secure when the page was reached over HTTPS.
 */
export class WebMembers {
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(options: WebMemberOptions) {
    this.idleMs = options.idleDays * 24 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** The cookie's member, or undefined when there is none (or it is forged or expired). */
  read(req: Request): { user: string; seenAt: number } | undefined {
    const raw: unknown = req.signedCookies?.[MEMBER_COOKIE];
    if (typeof raw !== "string") return undefined;
    const match = VALUE.exec(raw);
    if (!match) return undefined;
    const seenAt = Number(match[2]) * 1000;
    // The browser drops the cookie after the idle period; a client that kept it anyway gets a
    // new member all the same.
    if (this.now() - seenAt > this.idleMs) return undefined;
    return { user: match[1] as string, seenAt };
  }

  /** The request's member, issuing a new one, or refreshing the visit stamp, as needed. */
  member(req: Request, res: Response): WebMember {
    const found = this.read(req);
    if (found) {
      const stamped = this.now() - found.seenAt > RESTAMP_AFTER_MS;
      if (stamped) this.write(req, res, found.user);
      return { platform: "web", workspace: "web", user: found.user, isNew: false, stamped };
    }
    const user = randomBytes(18).toString("base64url");
    this.write(req, res, user);
    return { platform: "web", workspace: "web", user, isNew: true, stamped: true };
  }

  /** Forget me: the browser drops the cookie. */
  clear(req: Request, res: Response): void {
    res.clearCookie(MEMBER_COOKIE, this.cookieOptions(req));
  }

  private write(req: Request, res: Response, user: string): void {
    const seen = Math.floor(this.now() / 1000);
    res.cookie(MEMBER_COOKIE, `${user}.${seen}`, {
      ...this.cookieOptions(req),
      signed: true,
      maxAge: this.idleMs,
    });
  }

  private cookieOptions(req: Request) {
    return {
      httpOnly: true,
      sameSite: "lax" as const,
      secure: isHttps(req),
      path: "/",
    };
  }
}

/**
 * Whether the browser reached us over HTTPS. Cloud Run (and most proxies) end TLS and say so in
 * X-Forwarded-Proto. Trusting the header here is safe without `trust proxy`: a client that lies
 * only makes its own cookie Secure (its browser then withholds it over plain HTTP).
 */
function isHttps(req: Request): boolean {
  if (req.secure) return true;
  const forwarded = req.get("x-forwarded-proto");
  return forwarded?.split(",")[0]?.trim().toLowerCase() === "https";
}
