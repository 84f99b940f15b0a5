import type { Logger } from "pino";
import type { MovieNightService } from "../../core/movienight/movie-night-service.ts";
import type { DiscordNightPublisher } from "./discord-night-publisher.ts";

/** What the Discord adapter needs for /movienight and its buttons (built by the composition root). */
export interface DiscordMovieNight {
  service: MovieNightService;
  publisher: DiscordNightPublisher;
  logger: Logger;
}
