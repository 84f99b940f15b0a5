import type { SectionEntry, SnapshotHeader } from "./snapshot-file.ts";

/**
 * Where a snapshot keeps what a search thread builds its index from: the catalogue's movies and
 * LocalMovieSearch's plain form, both UTF-8 JSON (serving-snapshot.ts writes them). Kept apart
 * from serving-snapshot.ts, whose imports cost a start tens of milliseconds, so the search thread
 * can be started from the file before the rest of the server is even loaded.
 */
export const SEARCH_SECTIONS = { movies: "catalog.movies", index: "search.json" } as const;

export interface SearchSections {
  movies: SectionEntry;
  index: SectionEntry;
}

/** The search sections' entries in a snapshot's header; null when one is missing. */
export function searchSectionsOf(header: SnapshotHeader<unknown, unknown>): SearchSections | null {
  const movies = header.sections.find((s) => s.name === SEARCH_SECTIONS.movies);
  const index = header.sections.find((s) => s.name === SEARCH_SECTIONS.index);
  return movies && index ? { movies, index } : null;
}

/**
 * What identifies the search bytes of a snapshot across two reads of it (the file may be replaced
 * in between): its key (format, data checksum, strategy) and both sections' places, lengths and
 * CRC-32s. Equal fingerprints, the same index; null when the sections are missing.
 */
export function searchFingerprint(header: SnapshotHeader<unknown, unknown>): string | null {
  const sections = searchSectionsOf(header);
  return sections && JSON.stringify([header.key, sections.movies, sections.index]);
}
