import { SlashCommandBuilder } from "discord.js";
import {
  CHAT_RESULT_LIMIT,
  MAX_QUERY_LENGTH,
  MAX_TEXT_LENGTH,
  parseMovieId,
  parseRequest,
} from "../../../core/requests/recommend-request.ts";
import { PREFS_TEXT, settingsOf, watchPrefs } from "../../watch-prefs.ts";
import { renderChoices, renderNotice } from "../embeds.ts";
import type { SlashCommand } from "./command.ts";

export const MOVIE_OPTIONS = ["movie1", "movie2", "movie3", "movie4", "movie5"] as const;

const builder = new SlashCommandBuilder()
  .setName("recommend")
  .setDescription(
    "Movies for you, from people who liked the movies you pick (none: popular picks)",
  );
for (const [index, name] of MOVIE_OPTIONS.entries()) {
  builder.addStringOption((option) =>
    option
      .setName(name)
      .setDescription(index === 0 ? "A movie you like: start typing its title" : "Another movie")
      .setAutocomplete(true)
      .setMaxLength(MAX_TEXT_LENGTH),
  );
}
builder.addBooleanOption((option) =>
  option.setName("mine").setDescription("Only films streaming on your services (see /services)"),
);

/** The picked values: movieIds from the menu, or free text when the user typed without picking. */
export function pickedValues(options: Record<string, string>): string[] {
  return MOVIE_OPTIONS.map((name) => options[name]?.trim() ?? "").filter((v) => v.length > 0);
}

export const recommend: SlashCommand = {
  data: builder,

  async execute(options, { cards, taste, member, locale }) {
    const onlyMine = options.mine === "true";
    const settings = await settingsOf(taste, member);
    if (onlyMine && settings.services.length === 0) {
      return {
        kind: "reply",
        message: renderNotice(PREFS_TEXT.mineWithoutServices("/services names:")),
        ephemeral: true,
      };
    }
    const liked: number[] = [];
    const titles: string[] = [];
    for (const value of pickedValues(options)) {
      // A value from the menu is a movieId; anything else (typed without picking, or an id the
      // catalog no longer has) is resolved as a title through search by whoever computes the job.
      const id = parseMovieId(value);
      if (id !== null && cards.movie(id)) liked.push(id);
      else titles.push(value);
    }
    return {
      kind: "compute",
      // With nothing picked, a member with a history gets "Picked for you" from their likes.
      request: parseRequest({
        name: "recommend",
        liked,
        titles,
        limit: CHAT_RESULT_LIMIT,
        ...watchPrefs(settings, { locale, onlyMine }),
        ...(member ? { member } : {}),
      }),
      ephemeral: true,
    };
  },

  async autocomplete(focused, options, { search, signal }) {
    const query = focused.value.trim();
    if (query.length === 0) return [];
    // Movies already picked in the other options would be wasted choices.
    const picked = new Set(
      MOVIE_OPTIONS.filter((name) => name !== focused.name).map((name) => options[name]),
    );
    const suggestions = await search.suggest(query.slice(0, MAX_QUERY_LENGTH), 25, { signal });
    return renderChoices(suggestions.filter((s) => !picked.has(String(s.movieId))));
  },
};
