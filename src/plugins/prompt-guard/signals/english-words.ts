/**
 * The commonest English words, and those attacks are made of: a stretch that has many of them only
 * once transformed (rot13, reversed, shifted, read from codes) was written that way. Short function
 * words count most: every sentence has them.
 */
const commonWords = new Set(
  ('a an the and or but of to in on at for with from by about as into is are was were be been it its this that these those what which who how why when where ' +
    'i me my you your yours we our us he she they them their do does did not no yes can could will would should must may please now then than so if all any every ' +
    'each some more most other just only also very too here there up down out over again one two new old good like tell say show give write make get let know think ' +
    'want need use go see look find help ask answer reply print output reveal ignore forget previous instructions rules system prompt secret password stop start being ' +
    'assistant model ai have has had').split(' '),
);

/** Words attacks are made of that the list above leaves out, for choosing among readings (pig latin). */
const attackWords = new Set(
  ('disregard follow obey execute instruction rule prior above earlier initial original hidden configuration guidelines restrictions filters safety policy ' +
    'developer admin administrator mode unrestricted jailbreak bypass override reveal repeat everything anything nothing access granted key keys token tokens ' +
    'confidential internal data users customer customers message messages text words tell print send email address phone number card').split(' '),
);

/** How many of the words are common English words. */
export function commonCount(words: readonly string[]): number {
  let count = 0;
  for (const word of words) if (commonWords.has(word)) count++;
  return count;
}

/** Whether a lower-case word is one the detector knows (common English or attack vocabulary). */
export function knownWord(word: string): boolean {
  return commonWords.has(word) || attackWords.has(word);
}

/** How much of a transformed stretch must be common words: `hits` at least, and `share` of its words. */
export interface EnglishBar {
  hits: number;
  share: number;
}

/** rot13 and reversal: one reading each. */
export const singleReading: EnglishBar = { hits: 2, share: 0.3 };

/**
 * Whether a stretch of gibberish (few common words) reads as English once transformed (many). Text that
 * already reads as English is not transformed at all: in a long document that mentions "reverse" once,
 * most stretches are ordinary sentences.
 */
export function decodesTo(stretch: string, transform: (text: string) => string, bar: EnglishBar = singleReading): string | null {
  const before = stretch.toLowerCase().match(/[a-z]+/g) ?? [];
  if (before.length < 3 || stretch.length > 2000) return null;
  const plain = commonCount(before);
  if (plain >= before.length * 0.15) return null;
  const transformed = transform(stretch);
  const after = transformed.toLowerCase().match(/[a-z]+/g) ?? [];
  const hits = commonCount(after);
  return hits >= bar.hits && hits >= after.length * bar.share && hits >= 2 * plain + 1 ? transformed.trim() : null;
}
