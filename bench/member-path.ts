import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { join } from "node:path";
import autocannon from "autocannon";
import { SqliteTasteStore } from "../core/adapters/sqlite/sqlite-taste-store.ts";
import { memberId } from "../core/members/taste-store.ts";

/**
 * The member path: `/recommend` with nothing picked, from a Discord member whose likes are stored
 * ("Picked for you"), as a signed interaction into the real endpoint. Each request reads the
 * member's profile from the member database (SQLite, the default), recommends from their likes
 * and renders embeds: what a member meets, beside the anonymous /api/recommend.
 */
const APPLICATION_ID = "111111111111111111";
const GUILD = "333333333333333333";

export interface MemberPath {
  /** Settings that turn the server's Discord endpoint on, for this key pair. */
  env: Record<string, string>;
  /** Members stored, each with 3–5 likes. */
  members: number;
  /** `rate`: requests/s over all connections; as fast as answered when undefined. */
  load(
    baseUrl: string,
    duration: number,
    connections: number,
    rate?: number,
  ): Promise<autocannon.Result>;
}

/**
 * Stores one member per liked set of 3 or more movies in `dataDir`'s member database (before the
 * server starts: it folds them into its recommender at start-up, as in production) and returns
 * how to drive them.
 */
export async function memberPath(dataDir: string, sets: readonly number[][]): Promise<MemberPath> {
  const profiles = sets.filter((s) => s.length >= 3);
  const users = profiles.map((_, i) => String(500_000_000_000_000_000n + BigInt(i)));
  const store = await SqliteTasteStore.open(join(dataDir, "moviebot.db"));
  try {
    for (const [i, likes] of profiles.entries()) {
      await store.addLikes(memberId("discord", GUILD, users[i] as string), likes);
    }
  } finally {
    await store.close();
  }
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const x = publicKey.export({ format: "jwk" }).x as string;
  let next = 0;
  return {
    env: {
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_PUBLIC_KEY: Buffer.from(x, "base64url").toString("hex"),
      DISCORD_BOT_TOKEN: "bench",
      // Nothing should be deferred (answers come inline, well within Discord's budget); were one
      // deferred, its follow-up goes nowhere rather than to Discord.
      DISCORD_API_URL: "http://127.0.0.1:9",
    },
    members: users.length,
    load: (baseUrl, duration, connections, rate) => {
      // Signed before the load starts: Discord signs its requests on its own machines, and an
      // Ed25519 signature per request (about 100 µs here) in the load generator would take that
      // much of the two cores the server is measured on. Past the last one, signed as sent.
      const sign = () => {
        const user = users[next++ % users.length] as string;
        return signed(privateKey, recommendFrom(user, next));
      };
      const ready = Array.from(
        { length: Math.ceil(duration * (rate ?? PRESIGNED_PER_SECOND)) },
        sign,
      );
      let taken = 0;
      return autocannon({
        url: baseUrl,
        connections,
        duration,
        ...(rate ? { overallRate: rate } : {}),
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              ...(taken < ready.length ? ready[taken++] : sign()),
            }),
          },
        ],
      });
    },
  };
}

/**
 * Requests signed ahead per second of an unpaced load: above what the member path answers on
 * this 2-core machine (about 1,500/s), so the load rarely signs one itself.
 */
const PRESIGNED_PER_SECOND = 4000;

/** `/recommend` with no option, as Discord posts it (the fields it always sets). */
function recommendFrom(user: string, n: number) {
  return {
    id: `90000000000${String(n).padStart(7, "0")}`,
    application_id: APPLICATION_ID,
    type: 2,
    token: `bench-token-${n}`,
    version: 1,
    channel_id: "222222222222222222",
    guild_id: GUILD,
    member: {
      user: { id: user, username: "bench", discriminator: "0", avatar: null },
      roles: [],
      joined_at: "2024-01-01T00:00:00.000Z",
      deaf: false,
      mute: false,
      flags: 0,
      permissions: "0",
    },
    app_permissions: "0",
    locale: "en-US",
    entitlements: [],
    authorizing_integration_owners: {},
    data: { id: "555555555555555555", name: "recommend", type: 1, options: [] },
  };
}

/** Ed25519 over timestamp + body, as Discord signs: the endpoint refuses anything else. */
function signed(privateKey: KeyObject, payload: unknown) {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    method: "POST" as const,
    path: "/discord/interactions",
    body,
    headers: {
      "content-type": "application/json",
      "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), privateKey).toString("hex"),
      "x-signature-timestamp": timestamp,
    },
  };
}
