/** action_ids the listeners match on; block_ids are free-form except the picker's, read from state. */
export const ACTIONS = {
  pickMovies: "pick_movies",
  recommendPicked: "recommend_picked",
  popularPicks: "popular_picks",
  moreLikeThis: "more_like_this",
  shareToChannel: "share_to_channel",
  /** Link buttons (trailer, where to watch): Slack still sends block_actions, which we only ack. */
  openTrailer: "open_trailer",
  openWatch: "open_watch",
} as const;

export const PICKER_BLOCK_ID = "movie_picker";
