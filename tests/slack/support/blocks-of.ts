/** Loose views of Block Kit JSON as it arrives at the fake response_url. */
export interface Block {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  accessory?: Record<string, unknown> & { type: string };
  elements?: Array<
    Record<string, unknown> & { action_id: string; text: { text: string }; value: string }
  >;
}

export type Message = Record<string, unknown>;

export const blocksOf = (message: Message) => (message.blocks ?? []) as Block[];

/** The movieIds of the cards, in order (card block_ids are card_<index>_<movieId>). */
export const cardIds = (message: Message) =>
  blocksOf(message)
    .filter((b) => b.block_id?.startsWith("card_"))
    .map((b) => Number(b.block_id?.split("_")[2]));

export const buttons = (message: Message) =>
  blocksOf(message).flatMap((b) => (b.type === "actions" ? (b.elements ?? []) : []));

export function only<T>(items: T[]): T {
  if (items.length !== 1) throw new Error(`expected exactly one, got ${items.length}`);
  return items[0] as T;
}
