import type { Logger } from "pino";
import type { CardService } from "../../../core/cards/card-service.ts";
import type { TasteStore } from "../../../core/members/taste-store.ts";
import type { MovieNightService } from "../../../core/movienight/movie-night-service.ts";
import type { MovieSearch } from "../../../core/search/movie-search.ts";
import type { Sharing } from "../../chat/share-cards.ts";
import type { SlackJobSubmitter } from "../slack-jobs.ts";
import type { SlackNightPublisher } from "../slack-night-publisher.ts";

/** Movie nights on Slack: the platform-neutral service and the poster that talks to channels. */
export interface SlackMovieNight {
  service: MovieNightService;
  publisher: SlackNightPublisher;
}

/** What the handlers need; built once by createSlackApp. */
export interface ListenerDeps {
  cards: CardService;
  /** Already guarded (cache, fallback) by the composition root; handlers add their own deadline. */
  search: MovieSearch;
  submitter: SlackJobSubmitter;
  /** The cards private results showed, under the ids their Share buttons carry. */
  sharing: Sharing;
  /** What members told us: 👍 / 👎 / Seen it / Watchlist clicks, watchlist, export, forget. */
  taste: TasteStore;
  /**
   * MEMBERS_REFRESH_MINUTES: "forget me" says when others' recommendations lose the member; null
   * with BigQuery, which learns only at the operator's next bigquery:sync-members.
   */
  refreshMinutes: number | null;
  logger: Logger;
  /** Time an options request may spend searching before it answers with what it has. */
  optionsBudgetMs: number;
  /** Cards per reply. */
  resultLimit: number;
  /** /movienight; absent when movie nights are off (no member database). */
  movienight?: SlackMovieNight;
}
