import type { Middleware, SlackOptionsMiddlewareArgs } from "@slack/bolt";
import { MAX_QUERY_LENGTH } from "../../../../core/requests/recommend-request.ts";
import type { Suggestion } from "../../../../core/search/movie-search.ts";
import { withinBudget } from "../../../chat/chat-shared.ts";
import { movieOptions as toOptions } from "../../blocks.ts";
import type { ListenerDeps } from "../listener-deps.ts";

/** A menu is read at a glance; more than this per keystroke only costs the search backend. */
const WANTED = 25;

/**
 * As-you-type options for the picker. Slack drops an options answer after 3 seconds and shows the
 * user an error, so a search that overruns the budget is abandoned and the menu gets what we have
 * (nothing) in time; the next keystroke asks again.
 */
export function movieOptions(
  deps: ListenerDeps,
): Middleware<SlackOptionsMiddlewareArgs<"block_suggestion">> {
  return async ({ options, ack }) => {
    const query = options.value.trim();
    const found = query === "" ? [] : await searchWithin(deps, query);
    await ack({ options: toOptions(found) });
  };
}

async function searchWithin(deps: ListenerDeps, query: string): Promise<Suggestion[]> {
  const outcome = await withinBudget(deps.optionsBudgetMs, (signal) =>
    deps.search.suggest(query.slice(0, MAX_QUERY_LENGTH), WANTED, { signal }),
  );
  if (outcome.status === "done") return outcome.value;
  if (outcome.status === "timeout") {
    deps.logger.warn({ query, budgetMs: deps.optionsBudgetMs }, "slack options search too slow");
  } else deps.logger.warn({ err: outcome.error, query }, "slack options search failed");
  return [];
}
