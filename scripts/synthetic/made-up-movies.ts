import { writeFileSync } from "node:fs";
import { SeededRandom } from "./random.ts";

/**
 * A movies.csv of invented films in MovieLens' layout (`movieId,title,genres`, "Title (Year)",
 * "Name, The (Year)", "a.k.a." alternates, quoted titles with commas), so a MovieLens-shaped data set
 * can be generated with no MovieLens file at all: the tests' fixture on a machine without the data.
 * Every title is made up; none is MovieLens'.
 */
const ADJECTIVES = [
  "Amber",
  "Silent",
  "Crimson",
  "Hollow",
  "Distant",
  "Paper",
  "Electric",
  "Quiet",
  "Broken",
  "Golden",
  "Midnight",
  "Velvet",
  "Frozen",
  "Wandering",
  "Hidden",
  "Restless",
  "Glass",
  "Iron",
  "Forgotten",
  "Burning",
  "Northern",
  "Lonely",
  "Secret",
  "Endless",
  "Painted",
  "Copper",
  "Wild",
  "Sleeping",
  "Bright",
  "Salt",
  "Winter",
  "Summer",
  "Last",
  "First",
  "Little",
  "Grand",
  "Pale",
  "Scarlet",
  "Stolen",
  "Falling",
];
const NOUNS = [
  "Lighthouse",
  "Harbor",
  "Orchard",
  "Engine",
  "Violin",
  "Meridian",
  "Comet",
  "Garden",
  "River",
  "Station",
  "Kingdom",
  "Mirror",
  "Lantern",
  "Carousel",
  "Archive",
  "Bridge",
  "Desert",
  "Island",
  "Tower",
  "Voyage",
  "Circus",
  "Signal",
  "Compass",
  "Canyon",
  "Parade",
  "Theorem",
  "Harvest",
  "Telescope",
  "Monsoon",
  "Ballroom",
  "Frontier",
  "Cathedral",
  "Typewriter",
  "Avalanche",
  "Diner",
  "Satellite",
  "Labyrinth",
  "Regatta",
  "Observatory",
  "Greenhouse",
  "Saxophone",
  "Glacier",
  "Boulevard",
  "Aquarium",
  "Motel",
  "Chessboard",
  "Locomotive",
  "Windmill",
  "Quarry",
  "Pavilion",
  "Zeppelin",
  "Marathon",
  "Sonata",
  "Planetarium",
  "Caravan",
  "Tangerine",
  "Blizzard",
  "Monastery",
  "Scarecrow",
  "Volcano",
];
/** The genres MovieLens uses. */
const GENRES = [
  "Action",
  "Adventure",
  "Animation",
  "Children",
  "Comedy",
  "Crime",
  "Documentary",
  "Drama",
  "Fantasy",
  "Film-Noir",
  "Horror",
  "IMAX",
  "Musical",
  "Mystery",
  "Romance",
  "Sci-Fi",
  "Thriller",
  "War",
  "Western",
];

function csvField(text: string): string {
  return /[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes `count` made-up movies (ids from 1, with gaps after 100, like MovieLens) to `file`. */
export function writeMadeUpMovies(file: string, count: number, seed = 1): void {
  const random = new SeededRandom(seed);
  const lines = ["movieId,title,genres"];
  const used = new Set<string>();
  let movieId = 0;
  for (let i = 0; i < count; i++) {
    // Ids 1..100 without gaps (tests name small ids), then gaps as MovieLens has them.
    movieId += 1 + (i >= 100 && random.next() < 0.2 ? random.int(5) : 0);
    let name: string;
    let sequel = 1;
    do {
      const adjective = ADJECTIVES[random.int(ADJECTIVES.length)] as string;
      const noun = NOUNS[random.int(NOUNS.length)] as string;
      name = `${adjective} ${noun}`;
      if (used.has(name)) name = `${name} ${++sequel}`;
    } while (used.has(name));
    used.add(name);
    const year = 1930 + random.int(90);
    let title: string;
    const form = random.next();
    if (form < 0.25) title = `${name}, The (${year})`;
    else if (form < 0.3) title = `${name} (a.k.a. ${NOUNS[random.int(NOUNS.length)]}) (${year})`;
    else if (form < 0.35) title = `${name}, Part ${2 + random.int(3)} (${year})`;
    else title = `${name} (${year})`;
    const genres = random.next() < 0.02 ? ["(no genres listed)"] : pickGenres(random);
    lines.push(`${movieId},${csvField(title)},${genres.join("|")}`);
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

function pickGenres(random: SeededRandom): string[] {
  const howMany = 1 + random.int(3);
  const picked = new Set<string>();
  while (picked.size < howMany) picked.add(GENRES[random.int(GENRES.length)] as string);
  return [...picked].sort();
}
