import {
  MAX_SERVICES,
  type MemberId,
  type MemberSettings,
  NO_SETTINGS,
  type TasteStore,
} from "../core/members/taste-store.ts";
import type { WatchPrefs } from "../core/requests/recommend-request.ts";
import { parseRegion, regionFromLocale, serviceKey } from "../core/watch/watch-source.ts";

/**
 * A member's region and services, for Slack and Discord alike: reading them for a request, and the
 * words of the region and services commands.
 */

/** Reading the profile must not cost the 3-second window: past this, the defaults serve. */
const SETTINGS_BUDGET_MS = 800;

/** The member's settings, or none when there is no member or the database is slow or down. */
export async function settingsOf(
  taste: TasteStore | undefined,
  member: MemberId | undefined,
): Promise<MemberSettings> {
  if (!taste || !member) return NO_SETTINGS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<MemberSettings>((resolve) => {
    timer = setTimeout(() => resolve(NO_SETTINGS), SETTINGS_BUDGET_MS);
  });
  try {
    return await Promise.race([taste.settings(member).catch(() => NO_SETTINGS), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a request carries: the member's region (else their locale's country) and services. */
export function watchPrefs(
  settings: MemberSettings,
  options: { locale?: string | null; onlyMine?: boolean } = {},
): WatchPrefs {
  const region = settings.region ?? regionFromLocale(options.locale) ?? undefined;
  return {
    ...(region ? { region } : {}),
    ...(settings.services.length > 0 ? { services: settings.services } : {}),
    ...(options.onlyMine ? { onlyMine: true } : {}),
  };
}

export type RegionInput = { kind: "show" } | { kind: "set"; region: string } | { kind: "invalid" };

/** "CH", "ch" → set; "" → show; anything else is not a region. */
export function parseRegionInput(text: string | undefined): RegionInput {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") return { kind: "show" };
  const region = parseRegion(trimmed);
  return region ? { kind: "set", region } : { kind: "invalid" };
}

export type ServicesInput =
  | { kind: "show" }
  | { kind: "set"; services: string[] }
  | { kind: "invalid"; message: string };

/** "Netflix, Disney Plus" → those two (duplicates dropped); "none" clears; "" shows. */
export function parseServicesInput(text: string | undefined): ServicesInput {
  const trimmed = (text ?? "").trim();
  if (trimmed === "") return { kind: "show" };
  if (/^(none|clear|-)$/i.test(trimmed)) return { kind: "set", services: [] };
  const seen = new Set<string>();
  const services: string[] = [];
  for (const part of trimmed.split(/[,;\n]+/)) {
    const name = part.trim().replace(/\s+/g, " ");
    const key = serviceKey(name);
    if (key === "" || seen.has(key)) continue;
    if (name.length > 60) {
      return {
        kind: "invalid",
        message: `“${name.slice(0, 60)}…” is too long for a service name.`,
      };
    }
    seen.add(key);
    services.push(name);
  }
  if (services.length > MAX_SERVICES) {
    return { kind: "invalid", message: `Name at most ${MAX_SERVICES} services.` };
  }
  return { kind: "set", services };
}

export const PREFS_TEXT = {
  regionInvalid: (command: string) =>
    `A region is a two-letter country code, such as \`${command} CH\` or \`${command} US\`.`,
  regionSet: (region: string) =>
    `Your region is now ${region}: cards show where to watch there (data by JustWatch, via TMDB).`,
  regionShow: (settings: MemberSettings, fallback: string, command: string) =>
    settings.region
      ? `Your region is ${settings.region}. Change it with \`${command} XX\`.`
      : `You have not set a region, so cards show where to watch in ${fallback}. Set yours with \`${command} XX\`.`,
  servicesSet: (services: readonly string[]) =>
    services.length === 0
      ? "Your services are cleared."
      : `Your services: ${services.join(", ")}. Cards list them first; ask for films on them only with “mine”.`,
  servicesShow: (settings: MemberSettings, command: string) =>
    settings.services.length === 0
      ? `You have not saved any services. Save them with \`${command} Netflix, Disney Plus\`.`
      : `Your services: ${settings.services.join(", ")}. Change them with \`${command} …\`, or \`${command} none\`.`,
  mineWithoutServices: (command: string) =>
    `Save your services first (\`${command} Netflix, Disney Plus\`), then ask for films on them only.`,
  notSaved: "Sorry, your settings could not be saved right now. Please try again in a moment.",
  noMember: "I could not tell who you are here, so there is nowhere to keep your settings.",
} as const;
