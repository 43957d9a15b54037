/**
 * Accents as obfuscation: "i̇ǵńó́ŕé ȁll p̈ŕév̈íóús ín̈śt́ŕúćt́íóńś" puts a combining mark on every
 * letter, so no pattern matches while a reader still sees "ignore all previous instructions". The
 * marks are removed where no orthography puts them, in Latin, Cyrillic and Greek words only:
 * Devanagari, Thai, Arabic and Hebrew marks are vowels and points, and French, Polish or Vietnamese
 * accents (which the patterns in those languages are written with) stay on ordinary words.
 */

// Letters of the scripts whose marks are accents (a word of them is the unit counted below).
const alphabetic = /[\p{L}&&[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]]/v;
const alphabeticWord = /(?:[\p{L}&&[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]]\p{M}*)+/gv;
/** A mark on no letter (after a space, a digit, a symbol): meaningless in any script. */
const strayMarks = /(?<![\p{L}\p{M}])[\p{Mn}\p{Me}]+/gu;
const mark = /\p{M}/u;
const marks = /\p{M}+/gu;
const letter = /\p{L}/u;

// What a code point is to the rules below.
/** Not a letter nor a mark: a space, a digit, punctuation, a symbol. */
const other = 0;
/** A Latin, Cyrillic or Greek letter with no mark. */
const plainLetter = 1;
/** A Latin, Cyrillic or Greek letter with a mark built in (é, ǵ, й, ά): NFD splits it. */
const markedLetter = 2;
/** A letter of another script: the marks after it are its own. */
const foreignLetter = 3;
const combiningMark = 4;
const unknown = 255;

function classify(character: string): number {
  if (mark.test(character)) return combiningMark;
  if (alphabetic.test(character)) return character.normalize('NFD').length > 1 ? markedLetter : plainLetter;
  return letter.test(character) ? foreignLetter : other;
}

/** The kind of each BMP code unit, classified the first time it is seen (a text meets few distinct ones). */
const bmpKinds = new Uint8Array(0x10000).fill(unknown);
bmpKinds.fill(other, 0, 0x80);
bmpKinds.fill(plainLetter, 65, 91);
bmpKinds.fill(plainLetter, 97, 123);

/** The kind of the code point at `index` (its first half when it is a pair). */
function kindAt(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  // A pair's kind is its code point's; surrogates stay unknown in the table.
  if (unit >= 0xd800 && unit <= 0xdfff) return unit <= 0xdbff ? classify(String.fromCodePoint(text.codePointAt(index)!)) : other;
  const known = bmpKinds[unit];
  return known !== unknown ? known : (bmpKinds[unit] = classify(text[index]));
}

function overMarkedWord(letters: number, marked: number): boolean {
  return letters >= 3 && marked * 5 >= letters * 4;
}

function overMarkedText(letters: number, marked: number): boolean {
  return marked >= 6 && marked * 2 >= letters;
}

/**
 * True when something is to be stripped: a mark left on a Latin, Cyrillic or Greek letter or on no
 * letter, an over-marked word or text. One pass with a table lookup per character, so ordinary
 * accented text (French, Vietnamese) costs little.
 */
function hasObfuscatingMarks(text: string): boolean {
  let letters = 0;
  let marked = 0;
  let wordLetters = 0;
  let wordMarked = 0;
  let base = other;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    let kind = bmpKinds[unit];
    if (kind === unknown) {
      kind = kindAt(text, index);
      // Surrogates are never in the table: the second half of a pair is no character of its own.
      if (unit >= 0xd800 && unit <= 0xdbff && text.codePointAt(index)! > 0xffff) index++;
    }
    if (kind === combiningMark) {
      if (base !== foreignLetter) return true;
      continue;
    }
    if (kind === plainLetter || kind === markedLetter) {
      wordLetters++;
      if (kind === markedLetter) wordMarked++;
    } else {
      if (wordLetters > 0) {
        if (overMarkedWord(wordLetters, wordMarked)) return true;
        letters += wordLetters;
        marked += wordMarked;
        wordLetters = 0;
        wordMarked = 0;
      }
    }
    base = kind;
  }
  return overMarkedWord(wordLetters, wordMarked) || overMarkedText(letters + wordLetters, marked + wordMarked);
}

/** A word's letters, how many of them carry a mark (built in or combining), and whether one is combining. */
function countMarked(word: string): { letters: number; marked: number; combining: boolean } {
  let letters = 0;
  let marked = 0;
  let combining = false;
  let previousMarked = false;
  for (let index = 0; index < word.length; index++) {
    const kind = kindAt(word, index);
    if (word.codePointAt(index)! > 0xffff) index++;
    if (kind === combiningMark) {
      combining = true;
      if (!previousMarked) marked++;
      previousMarked = true;
    } else {
      letters++;
      previousMarked = kind === markedLetter;
      if (previousMarked) marked++;
    }
  }
  return { letters, marked, combining };
}

/**
 * Marks that make a letter rather than accent one: Cyrillic й ё ї ў, and the Greek tonos on a vowel
 * (the Greek patterns are written with it). Latin has no such mark common to its languages.
 */
const alphabetMarks: Readonly<Record<string, string>> = {
  и: '\u0306', И: '\u0306', у: '\u0306', У: '\u0306', е: '\u0308', Е: '\u0308', і: '\u0308', І: '\u0308',
  α: '\u0301', Α: '\u0301', ε: '\u0301', Ε: '\u0301', η: '\u0301', Η: '\u0301', ι: '\u0301', Ι: '\u0301', ο: '\u0301', Ο: '\u0301',
  υ: '\u0301', Υ: '\u0301', ω: '\u0301', Ω: '\u0301',
};

/** The marks off a word's letters but those of its alphabet: "ǵńó́ŕé" -> "gnore", "и́ѓн́о́р́и́р́у́й́" -> "игнорируй". */
function bare(word: string): string {
  return word
    .normalize('NFD')
    .replace(/(\P{M})(\p{M}+)/gu, (_, base: string, marks: string) => {
      const kept = alphabetMarks[base];
      return kept !== undefined && marks.includes(kept) ? base + kept : base;
    })
    .normalize('NFC');
}

/**
 * A marked letter is ordinary in every Latin, Cyrillic or Greek orthography, and so is a word with
 * most of its letters marked (Czech "řečí", Vietnamese "ước"); four of five or more in a word of
 * three letters or more is not, nor are half of all the letters of a text (Vietnamese, the most
 * accented, has about a third). Such words lose their marks but those of their alphabet, and so do
 * the marked words beside them ("t́ó", "ȁll"). Elsewhere only the marks NFKC could not compose into a
 * letter (a stress mark on a Russian vowel, a second accent stacked on a letter) are removed, and
 * marks on no letter at all. `text` is NFKC-normalised.
 */
export function stripObfuscatingMarks(text: string): string {
  if (!hasObfuscatingMarks(text)) return text;
  const words = [...text.matchAll(alphabeticWord)];
  const counts = words.map((word) => countMarked(word[0]));
  let letters = 0;
  let marked = 0;
  for (const count of counts) {
    letters += count.letters;
    marked += count.marked;
  }
  const wholeText = overMarkedText(letters, marked);
  const overMarked = counts.map((count) => wholeText || overMarkedWord(count.letters, count.marked));
  let stripped = '';
  let cursor = 0;
  for (let index = 0; index < words.length; index++) {
    const { marked: carrying, combining } = counts[index];
    if (carrying === 0) continue;
    let replacement: string;
    if (overMarked[index] || overMarked[index - 1] === true || overMarked[index + 1] === true) replacement = bare(words[index][0]);
    else if (combining) replacement = words[index][0].replace(marks, '');
    else continue;
    stripped += text.slice(cursor, words[index].index) + replacement;
    cursor = words[index].index + words[index][0].length;
  }
  stripped = cursor === 0 ? text : stripped + text.slice(cursor);
  return mark.test(stripped) ? stripped.replace(strayMarks, '') : stripped;
}
