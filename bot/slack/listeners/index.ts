import type { App } from "@slack/bolt";
import { registerActions } from "./actions/index.ts";
import { registerCommands } from "./commands/index.ts";
import { registerEvents } from "./events/index.ts";
import type { ListenerDeps } from "./listener-deps.ts";
import { registerOptions } from "./options/index.ts";

/** An id a listener matches: a name, or a pattern (TASTE_ACTION covers four buttons). */
export type ListenedId = string | RegExp;

/**
 * What the registered listeners answer, read off the registrations themselves: the slash
 * commands, block_actions action_ids and block_suggestion action_ids. The gate in front of Bolt
 * lets exactly these through, so a new listener needs no second list to be reachable.
 */
export interface Listened {
  commands: ListenedId[];
  actions: ListenedId[];
  suggestions: ListenedId[];
}

export function registerListeners(app: App, deps: ListenerDeps): Listened {
  const listened: Listened = { commands: [], actions: [], suggestions: [] };
  const recording = recordingApp(app, listened);
  registerCommands(recording, deps);
  registerActions(recording, deps);
  registerOptions(recording, deps);
  registerEvents(recording, deps);
  return listened;
}

type Constraint = string | RegExp | { action_id?: string | RegExp };

function idOf(constraint: Constraint): ListenedId | undefined {
  return typeof constraint === "string" || constraint instanceof RegExp
    ? constraint
    : constraint.action_id;
}

/**
 * The app itself, with command(), action() and options() noting what they register before Bolt
 * does. (Bolt keeps its listeners private; these three calls are how ours are registered.)
 */
function recordingApp(app: App, listened: Listened): App {
  // Bolt's overloads cannot be restated here: the recorder takes the arguments as given.
  type Register = (first: Constraint, ...rest: unknown[]) => unknown;
  const recording = Object.create(app) as App;
  const wrap =
    (register: Register, into: ListenedId[]) =>
    (first: Constraint, ...rest: unknown[]) => {
      const id = idOf(first);
      if (id !== undefined) into.push(id);
      return register.call(app, first, ...rest);
    };
  Object.assign(recording, {
    command: wrap(app.command as Register, listened.commands),
    action: wrap(app.action as Register, listened.actions),
    options: wrap(app.options as Register, listened.suggestions),
  });
  return recording;
}
