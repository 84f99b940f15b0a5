import { type TasteStore, TasteStoreUnavailableError } from "./taste-store.ts";

/**
 * Stands in when the member database could not be opened at all: every call fails the way an
 * unreachable database does, so recommendations go on without profiles and clicks say they were
 * not saved, instead of the bot refusing to start.
 */
export class UnavailableTasteStore implements TasteStore {
  private readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
  private fail(): Promise<never> {
    return Promise.reject(new TasteStoreUnavailableError(this.reason));
  }
  migrate = () => this.fail();
  mark = () => this.fail();
  addLikes = () => this.fail();
  entries = () => this.fail();
  forget = () => this.fail();
  forgetWorkspace = () => this.fail();
  touch = () => this.fail();
  forgetIdle = () => this.fail();
  communityLikes = () => this.fail();
  allLikes = () => this.fail();
  settings = () => this.fail();
  saveSettings = () => this.fail();
  async close(): Promise<void> {}
}
