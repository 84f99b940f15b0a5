// moviebot's web page: plain JavaScript over the JSON API (/api/suggest) and the browser's own
// member (/api/me, and /api/me/recommend: recommendations that know the member's likes, dislikes
// and seen films). No framework: the page is small enough.

const MAX_PICKS = 25;
const RESULT_LIMIT = 12;
const SUGGEST_LIMIT = 8;
/** Typing pauses this long before a search goes out; each keystroke cancels the previous one. */
const TYPING_PAUSE_MS = 120;
/** A request not answered by then is cancelled and the person told. */
const REQUEST_TIMEOUT_MS = 15_000;
const PICKS_KEY = "moviebot.picks";

const $ = (id) => document.getElementById(id);
const input = $("search");
const listbox = $("suggestions");
const picksList = $("picks");
const recommendButton = $("recommend");
const clearButton = $("clear");
const heading = $("results-heading");
const note = $("results-note");
const cardList = $("cards");
const status = $("status");

/** @type {{movieId: number, label: string}[]} */
let picks = loadPicks();
/** @type {{movieId: number, label: string}[]} */
let options = [];
let active = -1;
let feedbackOn = false;
/** movieId -> {like, dislike, seen, watchlist}: what this browser's member said about it. */
let taste = {};
let shownResults = [];

// ---- Requests: each kind keeps one in flight; a newer one cancels the older --------------------

const inFlight = new Map();

async function getJson(kind, url, init = {}) {
  inFlight.get(kind)?.abort();
  const controller = new AbortController();
  inFlight.set(kind, controller);
  const timer = setTimeout(() => controller.abort(new Error("timeout")), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `The server answered ${response.status}`);
    return body;
  } catch (error) {
    if (controller.signal.aborted && controller.signal.reason?.message === "timeout") {
      throw new Error("The server is taking too long; try again in a moment.");
    }
    throw error;
  } finally {
    clearTimeout(timer);
    if (inFlight.get(kind) === controller) inFlight.delete(kind);
  }
}

/** A request cancelled because a newer one replaced it: not an error worth showing. */
const superseded = (error) => error?.name === "AbortError";

let announcing;

function announce(text) {
  // Cleared first so the same words twice are still read out; a newer message replaces a pending one.
  clearTimeout(announcing);
  status.textContent = "";
  announcing = setTimeout(() => {
    status.textContent = text;
  }, 30);
}

// ---- The combobox (WAI-ARIA combobox with a listbox popup) -------------------------------------

let typingTimer;

input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  const query = input.value.trim();
  if (!query) {
    inFlight.get("suggest")?.abort();
    closeList();
    return;
  }
  typingTimer = setTimeout(() => suggest(query), TYPING_PAUSE_MS);
});

async function suggest(query) {
  const slow = setTimeout(() => showListMessage("Searching…"), 400);
  try {
    const url = `/api/suggest?q=${encodeURIComponent(query)}&limit=${SUGGEST_LIMIT + picks.length}`;
    const body = await getJson("suggest", url);
    if (input.value.trim() !== query) return;
    const picked = new Set(picks.map((p) => p.movieId));
    showOptions(
      body.results
        .filter((s) => !picked.has(s.movieId))
        .slice(0, SUGGEST_LIMIT)
        .map((s) => ({ movieId: s.movieId, label: s.label })),
    );
  } catch (error) {
    if (!superseded(error)) showListMessage(error.message);
  } finally {
    clearTimeout(slow);
  }
}

function showOptions(found) {
  options = found;
  active = -1;
  listbox.replaceChildren(
    ...found.map((option, i) => {
      const li = document.createElement("div");
      li.id = `option-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = option.label;
      // mousedown would blur the input before the click lands.
      li.addEventListener("mousedown", (event) => event.preventDefault());
      li.addEventListener("click", () => pick(option));
      return li;
    }),
  );
  if (found.length === 0) {
    showListMessage("No movie matches; try fewer letters.");
    return;
  }
  openList();
  input.removeAttribute("aria-activedescendant");
  announce(`${found.length} suggestion${found.length === 1 ? "" : "s"}; use the arrow keys.`);
}

function showListMessage(text) {
  options = [];
  active = -1;
  const li = document.createElement("div");
  li.className = "message";
  li.setAttribute("role", "presentation");
  li.textContent = text;
  listbox.replaceChildren(li);
  openList();
  input.removeAttribute("aria-activedescendant");
  announce(text);
}

function openList() {
  listbox.hidden = false;
  input.setAttribute("aria-expanded", "true");
}

function closeList() {
  listbox.hidden = true;
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
  active = -1;
}

function setActive(index) {
  const items = listbox.querySelectorAll('[role="option"]');
  if (items.length === 0) return;
  active = (index + items.length) % items.length;
  items.forEach((item, i) => {
    item.setAttribute("aria-selected", String(i === active));
  });
  const current = items[active];
  input.setAttribute("aria-activedescendant", current.id);
  current.scrollIntoView({ block: "nearest" });
}

input.addEventListener("keydown", (event) => {
  const open = !listbox.hidden && options.length > 0;
  switch (event.key) {
    case "ArrowDown":
      event.preventDefault();
      if (open) setActive(active + 1);
      else if (input.value.trim()) suggest(input.value.trim());
      break;
    case "ArrowUp":
      if (!open) return;
      event.preventDefault();
      setActive(active - 1);
      break;
    case "Enter":
      if (open && active >= 0) {
        event.preventDefault();
        pick(options[active]);
      } else if (!input.value.trim()) {
        // Enter in an empty box asks for recommendations, as the button does.
        event.preventDefault();
        recommend();
      }
      break;
    case "Escape":
      if (!listbox.hidden) {
        event.preventDefault();
        closeList();
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
      }
      break;
    case "Tab":
      closeList();
      break;
  }
});

input.addEventListener("blur", () => closeList());

// ---- Picks: removable chips, kept in this browser -----------------------------------------------

function loadPicks() {
  try {
    const saved = JSON.parse(localStorage.getItem(PICKS_KEY) ?? "[]");
    return Array.isArray(saved)
      ? saved
          .filter((p) => Number.isInteger(p?.movieId) && typeof p.label === "string")
          .slice(0, MAX_PICKS)
      : [];
  } catch {
    return [];
  }
}

function savePicks() {
  try {
    localStorage.setItem(PICKS_KEY, JSON.stringify(picks));
  } catch {
    // Private windows may refuse storage; the picks still work until the page closes.
  }
}

function pick(option) {
  if (!option) return;
  closeList();
  input.value = "";
  if (picks.some((p) => p.movieId === option.movieId)) return;
  if (picks.length >= MAX_PICKS) {
    announce(`You have ${MAX_PICKS} picks, the most there can be; remove one first.`);
    return;
  }
  picks.push(option);
  savePicks();
  renderPicks();
  announce(`Picked ${option.label}: ${picks.length} of ${MAX_PICKS}.`);
  input.focus();
}

function unpick(movieId) {
  const index = picks.findIndex((p) => p.movieId === movieId);
  if (index < 0) return;
  const [removed] = picks.splice(index, 1);
  savePicks();
  renderPicks();
  announce(`Removed ${removed.label}.`);
  // Focus goes to the next chip's button, else back to the search box.
  const buttons = picksList.querySelectorAll("button");
  (buttons[Math.min(index, buttons.length - 1)] ?? input).focus();
}

function renderPicks() {
  picksList.replaceChildren(
    ...picks.map((p) => {
      const li = document.createElement("li");
      li.className = "chip";
      const label = document.createElement("span");
      label.textContent = p.label;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "chip-remove";
      remove.setAttribute("aria-label", `Remove ${p.label}`);
      remove.textContent = "×";
      remove.addEventListener("click", () => unpick(p.movieId));
      li.append(label, remove);
      return li;
    }),
  );
  const full = picks.length >= MAX_PICKS;
  input.readOnly = full;
  input.placeholder = full
    ? `${MAX_PICKS} picks: remove one to add another`
    : picks.length
      ? "Add another movie"
      : "Type a title, e.g. Toy Story";
  clearButton.hidden = picks.length === 0;
}

clearButton.addEventListener("click", () => {
  picks = [];
  savePicks();
  renderPicks();
  announce("Picks cleared.");
  input.focus();
});

// ---- Results: poster cards ----------------------------------------------------------------------

recommendButton.addEventListener("click", () => {
  // Busy, not disabled: a disabled button would drop the keyboard focus.
  if (recommendButton.getAttribute("aria-disabled") !== "true") recommend();
});

/**
 * Recommendations for the picks, or for one movie ("More like this"). With nothing picked the
 * server answers "Picked for you" from the member's likes once there are enough, else the popular
 * picks. Either way the member's dislikes and seen films are left out.
 */
async function recommend(liked = picks.map((p) => p.movieId), title) {
  const query = new URLSearchParams({ limit: String(RESULT_LIMIT) });
  if (liked.length > 0) query.set("liked", liked.join(","));
  if (title) query.set("more", "1");
  cardList.setAttribute("aria-busy", "true");
  recommendButton.setAttribute("aria-disabled", "true");
  recommendButton.textContent = "Recommending…";
  note.textContent = "";
  try {
    const body = await getJson("recommend", `/api/me/recommend?${query}`);
    heading.textContent = headingFor(body, liked, title);
    note.textContent =
      body.strategy === "popular" && liked.length > 0
        ? "None of those movies is known here, so these are the popular picks."
        : body.pickedForYou
          ? "From the movies you liked; pick some above to steer."
          : body.popularSource === "community"
            ? "Ranked by what visitors here liked."
            : body.popularSource === "blended"
              ? "MovieLens favourites, with what visitors here liked."
              : "";
    for (const result of body.results) if (result.taste) taste[result.movieId] = result.taste;
    renderCards(body.results);
    announce(`${heading.textContent}: ${body.results.length} movies.`);
    return true;
  } catch (error) {
    if (superseded(error)) return false;
    note.textContent = error.message;
    announce(error.message);
    return false;
  } finally {
    if (!inFlight.has("recommend")) {
      cardList.removeAttribute("aria-busy");
      recommendButton.removeAttribute("aria-disabled");
      recommendButton.textContent = "Recommend";
    }
  }
}

function headingFor(body, liked, title) {
  if (body.strategy === "popular") return "Popular picks";
  if (body.pickedForYou) return "Picked for you";
  if (title) return `More like ${title}`;
  return `Picked for you from ${liked.length} movie${liked.length === 1 ? "" : "s"}`;
}

function renderCards(results) {
  shownResults = results;
  cardList.replaceChildren(...results.map(card));
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function card(movie) {
  const li = el("li", "card");
  const article = el("article");
  article.setAttribute("aria-labelledby", `title-${movie.movieId}`);

  const poster = el("div", "poster");
  if (movie.posterUrl) {
    const img = el("img");
    img.src = movie.posterUrl;
    img.alt = "";
    img.loading = "lazy";
    img.decoding = "async";
    img.width = 342;
    img.height = 513;
    poster.append(img);
  } else {
    // No poster: the title on a colour of its own (the title is read out below, not here).
    poster.classList.add("no-poster");
    poster.setAttribute("aria-hidden", "true");
    poster.style.setProperty("--hue", String((movie.movieId * 47) % 360));
    poster.append(el("span", "", movie.title));
  }

  const body = el("div", "card-body");
  const title = el("h3", "card-title", movie.title);
  title.id = `title-${movie.movieId}`;
  const facts = [movie.year, movie.genres.slice(0, 3).join(", ")].filter(Boolean).join(" · ");
  const meta = el("p", "card-meta", facts);
  const reason = el("p", "card-reason", movie.reason);

  const links = el("p", "card-links");
  for (const [href, text] of [
    [movie.tmdbUrl, "TMDB"],
    [movie.imdbUrl, "IMDb"],
  ]) {
    if (!href) continue;
    const a = el("a", "", text);
    a.href = href;
    a.rel = "noopener";
    a.target = "_blank";
    a.setAttribute("aria-label", `${movie.title} on ${text} (new tab)`);
    links.append(a);
  }

  const more = el("button", "more", "More like this");
  more.type = "button";
  more.setAttribute("aria-label", `More like ${movie.title}`);
  more.addEventListener("click", async () => {
    const shown = await recommend([movie.movieId], movie.title);
    if (shown) heading.focus();
  });

  body.append(title, meta, reason, links);
  const watch = whereToWatch(movie);
  if (watch) body.append(watch);
  body.append(more);
  if (feedbackOn) body.append(feedbackButtons(movie));
  article.append(poster, body);
  li.append(article);
  return li;
}

/** Where it streams (or rents, or sells) in the region, and its trailer; JustWatch credited. */
function whereToWatch(movie) {
  const watch = movie.watch;
  const lines = [];
  if (watch) {
    for (const [list, verb] of [
      [watch.flatrate, "Stream"],
      [watch.rent, "Rent"],
      [watch.buy, "Buy"],
    ]) {
      if (list.length > 0) {
        lines.push(`${verb}: ${list.slice(0, 3).join(", ")}${list.length > 3 ? " …" : ""}`);
        break;
      }
    }
  }
  if (lines.length === 0 && !movie.trailerUrl) return null;
  const p = el("p", "card-watch");
  if (lines.length > 0) {
    const a = el("a", "", lines[0]);
    a.href = watch.link;
    a.rel = "noopener";
    a.target = "_blank";
    a.setAttribute("aria-label", `${lines[0]} in ${watch.region} (${movie.title}, new tab)`);
    p.append(a, el("span", "credit", ` · ${watch.region} · ${watch.attribution}`));
  }
  if (movie.trailerUrl) {
    const a = el("a", "trailer", "Trailer");
    a.href = movie.trailerUrl;
    a.rel = "noopener";
    a.target = "_blank";
    a.setAttribute("aria-label", `Trailer of ${movie.title} (new tab)`);
    if (lines.length > 0) p.append(" ");
    p.append(a);
  }
  return p;
}

const FEEDBACK = [
  ["like", "", "I like it"],
  ["dislike", "", "Not for me"],
  ["seen", "Seen it", "Seen it"],
  ["watchlist", "Watchlist", "On my watchlist"],
];

/** 👍 drawn in SVG (the thumbs-down is the same, turned over): emoji fonts are not everywhere. */
function thumb(down) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  if (down) svg.classList.add("down");
  const path = document.createElementNS(ns, "path");
  path.setAttribute(
    "d",
    "M2 21h4V9H2v12zm20-11c0-1.1-.9-2-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 7.9 6 8.4 6 9v10c0 1.1.9 2 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z",
  );
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

function feedbackButtons(movie) {
  const group = el("div", "feedback");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", `Your take on ${movie.title}`);
  const buttons = new Map();
  const show = (state) => {
    for (const [kind, button] of buttons)
      button.setAttribute("aria-pressed", String(!!state?.[kind]));
  };
  for (const [kind, text, label] of FEEDBACK) {
    const button = el("button", "", text);
    if (!text) button.append(thumb(kind === "dislike"));
    button.type = "button";
    button.dataset.kind = kind;
    button.setAttribute("aria-label", label);
    button.addEventListener("click", async () => {
      // Pressing a pressed control undoes it.
      const on = button.getAttribute("aria-pressed") !== "true";
      try {
        const body = await getJson(`feedback-${movie.movieId}-${kind}`, "/api/me/feedback", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ movieId: movie.movieId, kind, on }),
        });
        taste[movie.movieId] = body.taste;
        show(body.taste);
        announce(`${label}: ${on ? "saved" : "undone"} for ${movie.title}.`);
      } catch (error) {
        if (!superseded(error)) announce(error.message);
      }
    });
    buttons.set(kind, button);
    group.append(button);
  }
  show(taste[movie.movieId]);
  return group;
}

// ---- The member: forget me ----------------------------------------------------------------------

const forget = $("forget");
const confirmBox = $("forget-confirm");

forget.addEventListener("click", () => {
  confirmBox.hidden = false;
  forget.hidden = true;
  $("forget-no").focus();
});

$("forget-no").addEventListener("click", () => {
  confirmBox.hidden = true;
  forget.hidden = false;
  forget.focus();
});

$("forget-yes").addEventListener("click", async () => {
  try {
    await getJson("me", "/api/me", { method: "DELETE" });
    picks = [];
    taste = {};
    savePicks();
    renderPicks();
    confirmBox.hidden = true;
    forget.hidden = false;
    forget.focus();
    await recommend();
    announce("Forgotten: this browser starts over. Showing the popular picks.");
  } catch (error) {
    if (!superseded(error)) announce(error.message);
  }
});

async function loadMember() {
  try {
    const me = await getJson("me", "/api/me");
    $("idle-days").textContent = String(me.member.forgetAfterDays);
    feedbackOn = me.feedback === true;
    taste = me.taste ?? {};
    // Cards shown before the member was known get their buttons now.
    if (feedbackOn && shownResults.length > 0) renderCards(shownResults);
  } catch {
    // The page works without a member: recommendations need none.
  }
}

// ---- Start --------------------------------------------------------------------------------------

renderPicks();
// The member first: two requests at once from a new browser would be issued two members.
loadMember().then(() => recommend());
