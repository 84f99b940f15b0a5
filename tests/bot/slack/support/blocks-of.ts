/** Loose views of Block Kit JSON as it arrives at the fake response_url. */
export interface Block {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  accessory?: Record<string, unknown> & { type: string };
  elements?: Array<
    Record<string, unknown> & { action_id: string; text: { text: string }; value: string }
  >;
  /** A card block's fields (inside a carousel). */
  title?: { text: string };
  body?: { text: string };
  hero_image?: Record<string, unknown>;
  actions?: Array<
    Record<string, unknown> & { action_id: string; text: { text: string }; value: string }
  >;
}

export type Message = Record<string, unknown>;

export const blocksOf = (message: Message) => (message.blocks ?? []) as Block[];

/** The blocks with each carousel replaced by its cards: one list whichever layout was chosen. */
const flatBlocks = (message: Message) =>
  blocksOf(message).flatMap((b) =>
    b.type === "carousel" ? ((b.elements ?? []) as unknown as Block[]) : [b],
  );

/** The movieIds of the cards, in order (card block_ids are card_<index>_<movieId>). */
export const cardIds = (message: Message) =>
  flatBlocks(message)
    .filter((b) => b.block_id?.startsWith("card_"))
    .map((b) => Number(b.block_id?.split("_")[2]));

export const buttons = (message: Message) =>
  flatBlocks(message).flatMap((b) =>
    b.type === "actions" ? (b.elements ?? []) : b.type === "card" ? (b.actions ?? []) : [],
  );

/** The card blocks of a carousel reply. */
export const carouselCards = (message: Message) =>
  flatBlocks(message).filter((b) => b.type === "card");

export function only<T>(items: T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one, got ${items.length}`);
  return items[0] as T;
}
