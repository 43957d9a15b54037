/**
 * Letters that read as Latin ones but are other characters, mapped back for the signals (never in
 * what is forwarded): Cyrillic and Greek look-alikes ("іgnоrе"), small capitals ("ɪɢɴᴏʀᴇ") and
 * upside-down text (".ʇdɯoɹd ɯǝʇsʎs ɹnoʎ lɐǝʌǝɹ"). Real Russian and Greek stay as written: a
 * look-alike is mapped inside a word that also has Latin letters or mixes Cyrillic with Greek, and
 * a word made only of look-alikes ("ѕуѕтем", "ргомрт") only in a message that has such a mixed word.
 */

// Cyrillic and Greek letters that look like Latin ones.
const confusables: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ո: 'n',
  г: 'r', п: 'n', м: 'm', т: 't', ӏ: 'l', к: 'k', ь: 'b',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I', Ј: 'J', Ѕ: 'S', Ӏ: 'I',
  α: 'a', ε: 'e', ο: 'o', ρ: 'p', ι: 'i', κ: 'k', ν: 'v', τ: 't', υ: 'u', χ: 'x', η: 'n', ω: 'w', γ: 'y', ϲ: 'c', ϳ: 'j',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X', Ϲ: 'C',
};
const confusableClass = `[${Object.keys(confusables).join('')}]`;
const confusable = new RegExp(confusableClass, 'gu');
const wordsWithConfusables = new RegExp(`(?<![\\p{L}\\p{M}])[\\p{L}\\p{M}]*${confusableClass}[\\p{L}\\p{M}]*`, 'gu');
const cyrillic = /[\u0400-\u04FF]/;
const greek = /[\u0370-\u03FF]/;
const onlyConfusables = new RegExp(`^${confusableClass}+$`, 'u');

/** A word no real language writes: Latin letters beside look-alikes, or Cyrillic beside Greek. */
function mixedScript(word: string): boolean {
  return /[A-Za-z]/.test(word) || (cyrillic.test(word) && greek.test(word));
}

function mapConfusables(text: string): string {
  confusable.lastIndex = 0;
  if (!confusable.test(text)) return text;
  // A message with one mixed word is obfuscated: its words made only of look-alikes are read as Latin too.
  let obfuscated = false;
  for (const [word] of text.matchAll(wordsWithConfusables)) {
    if (mixedScript(word)) {
      obfuscated = true;
      break;
    }
  }
  if (!obfuscated) return text;
  return text.replace(wordsWithConfusables, (word) => (mixedScript(word) || onlyConfusables.test(word) ? word.replace(confusable, (character) => confusables[character] ?? character) : word));
}

/** Small capitals are Latin letters of their own (phonetic symbols otherwise): read as the letter wherever they are. */
const smallCapitals: Record<string, string> = {
  ᴀ: 'a', ʙ: 'b', ᴄ: 'c', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ɪ: 'i', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n', ᴏ: 'o', ᴘ: 'p', ǫ: 'q', ʀ: 'r', ꜱ: 's', ᴛ: 't', ᴜ: 'u', ᴠ: 'v', ᴡ: 'w', ʏ: 'y', ᴢ: 'z',
};
const smallCapital = new RegExp(`[${Object.keys(smallCapitals).join('')}]`, 'gu');

/**
 * Upside-down text is written backwards with each letter turned: "ǝɹouƃᴉ" is "ignore". Turned
 * letters that no alphabet uses for itself mark it; the Latin letters a turned text also uses are
 * the symmetric ones and the pairs b/q, d/p, n/u.
 */
const turned: Record<string, string> = {
  ɐ: 'a', ɔ: 'c', ǝ: 'e', ɟ: 'f', ƃ: 'g', ɓ: 'g', ɥ: 'h', ᴉ: 'i', ı: 'i', ɾ: 'j', ʞ: 'k', ɯ: 'm', ɹ: 'r', ʇ: 't', ʌ: 'v', ʍ: 'w', ʎ: 'y',
  b: 'q', q: 'b', d: 'p', p: 'd', n: 'u', u: 'n', l: 'l', o: 'o', s: 's', x: 'x', z: 'z',
  '∀': 'A', Ɔ: 'C', Ǝ: 'E', Ⅎ: 'F', '⅁': 'G', Ꞁ: 'L', '˥': 'L', W: 'M', M: 'W', Ԁ: 'P', ᴚ: 'R', '┴': 'T', '∩': 'U', Λ: 'V', '⅄': 'Y',
  '¿': '?', '¡': '!', '˙': '.', "'": ',', ',': "'",
};
// Only these say a text is turned: none of them is a letter of an alphabet for everyday writing (ɔ is Akan's, ǝ and ɐ are phonetic).
const turnedOnly = /[ɐǝɟƃɥᴉɹʇʌʍʎɯʞ∀ƎⅎℲ⅁ᴚ┴⅄]/gu;
/** A stretch of turned text: turned letters and the Latin letters it shares, with digits, blanks and punctuation between them. */
const turnedLetter = 'ɐɔǝɟƃɓɥᴉıɾʞɯɹʇʌʍʎbdlnopqsuxz∀ƆƎℲ⅁Ꞁ˥WMԀᴚ┴∩Λ⅄HINOSXZ';
const turnedRun = new RegExp(`[${turnedLetter}](?:[${turnedLetter}0-9¿¡˙'",.!?:;()\\- ]*[${turnedLetter}])?`, 'gu');

/** How many turned-only letters a text, and a stretch of it, needs before it is read turned. */
export interface TurnedTextMinimum {
  /** In the whole text. */
  inText: number;
  /** Different ones in one stretch (turnedRun). */
  distinctInRun: number;
}

/** Prompt-guard's: four in the text, three different in a stretch ("three different turned letters"). */
const promptGuardMinimum: TurnedTextMinimum = { inText: 4, distinctInRun: 3 };

function unturn(text: string, minimum: TurnedTextMinimum): string {
  turnedOnly.lastIndex = 0;
  if ((text.match(turnedOnly)?.length ?? 0) < minimum.inText) return text;
  return text.replace(turnedRun, (run) => {
    const distinct = new Set(run.match(turnedOnly) ?? []);
    if (distinct.size < minimum.distinctInRun) return run;
    return [...run].reverse().map((character) => turned[character] ?? character).join('');
  });
}

/**
 * The text with turned, small-capital and look-alike letters read as the Latin letters they show.
 * `turnedMinimum` is prompt-guard's unless given (content-rules' blocked-terms view reads a single
 * short turned word: its term list, not a threshold, keeps ordinary text from matching).
 */
export function mapLookAlikes(text: string, turnedMinimum: TurnedTextMinimum = promptGuardMinimum): string {
  let mapped = unturn(text, turnedMinimum);
  smallCapital.lastIndex = 0;
  if (smallCapital.test(mapped)) mapped = mapped.replace(smallCapital, (character) => smallCapitals[character] ?? character);
  return mapConfusables(mapped);
}
