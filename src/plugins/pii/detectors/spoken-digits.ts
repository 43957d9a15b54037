import type { Detection } from './detector.ts';
import { wholeTextHas } from './whole-text.ts';

/**
 * Phone numbers read out digit by digit, as voice dictation writes them down: "oh seven seven
 * double oh nine …", "null drei null …", "nul zes een …", "nau aath chaar …" (EN, DE, FR, ES, IT,
 * NL, PT, romanised Hindi). A run counts after a phone cue word or after "plus", and only with a
 * phone's length (7-15 digits), so "one two three" in a sentence is not a number.
 */
/** Digit words of the languages read out (a regex alternation); also read by the stream hold-back. */
export const digitWords = [
  'oh|zero|nought|one|two|three|four|five|six|seven|eight|nine',
  'null|eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun',
  'zéro|un|deux|trois|quatre|cinq|six|sept|huit|neuf',
  'cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve',
  'due|tre|quattro|cinque|sei|sette|otto|nove',
  'nul|een|twee|drie|vijf|zes|zeven|negen',
  'um|dois|três|quatro|sete|oito',
  'shunya|ek|do|teen|chaar|char|paanch|panch|chhe|chah|saat|aath|nau',
].join('|');
export const repeat = 'double|triple|doppio|doppel|dubbel';
const run = new RegExp(String.raw`(?<![\p{L}])(?:plus[ \t]+)?(?:(?:${repeat})[ \t]+)?(?:${digitWords})(?:[ \t,]+(?:(?:${repeat})[ \t]+)?(?:${digitWords})){6,20}(?![\p{L}])`, 'giu');
const cueAnchor = /(?:phone|number|nummer|num[ée]ro|numer|n[úu]mero|nambar|mobil|m[óo]vil|celular|cellulare|telefo|t[ée]l[ée]phone|handy|call|ring|reach|contact|bel me|chiamami|llámame|appelle|ligue|voicemail|plus)/gi;
const twoDigitWords = new RegExp(String.raw`(?<![\p{L}])(?:${digitWords})[ \t,]+(?:${digitWords})(?![\p{L}])`, 'iu');
const spokenCue = /(?:phone|number|mobile|call(?: me)?(?: back)?(?: on| at)?|ring(?: me)?(?: on)?|reach me(?: on| at)?|nummer|telefon\w*|handy|num[ée]ro|t[ée]l[ée]phone|tel[ée]fono|telefone|m[óo]vil|celular|cellulare|telefoon|mobiel|numer(?:em)?|contact(?:o)?(?: on| at| pod)?|bel me(?: op)?|chiamami al|llámame al|appelle[sz]?-moi au|ligue para|number hai|nambar|voicemail from)[\s:,]*(?:(?:is|ist|es|est|è|é|hai|c'est|le|al|op|on|at|am|unter|no)[\s:,]+){0,3}$/iu;

const otherNumber = /(?:social security|ssn|card|account|order|passport|licen[cs]e|policy|reference|booking|ticket|tarjeta|carte|karte|konto|cuenta|compte)[\p{L} ]{0,24}(?:number|nummer|n[úu]mero|numer)?[\s:,]*(?:is|ist|es|est|è|é)?[\s:,]*$/iu;

function digitCount(value: string): number {
  let count = 0;
  let times = 1;
  for (const word of value.toLowerCase().split(/[ \t,]+/u)) {
    if (word === 'plus') continue;
    if (/^(?:double|doppio|doppel|dubbel)$/u.test(word)) times = 2;
    else if (word === 'triple') times = 3;
    else (count += times, (times = 1));
  }
  return count;
}

/** The digit each digit word stands for ("oh" 0, "nau" 9, "drie" 3…). */
const digitValues = new Map<string, string>();
for (const [digit, spellings] of [
  ['0', 'oh zero nought null zéro cero nul shunya'],
  ['1', 'one eins un uno een um ek'],
  ['2', 'two zwei deux dos due twee dois do'],
  ['3', 'three drei trois tres tre drie três teen'],
  ['4', 'four vier quatre cuatro quattro quatro chaar char'],
  ['5', 'five fünf cinq cinco cinque vijf paanch panch'],
  ['6', 'six sechs seis sei zes chhe chah'],
  ['7', 'seven sieben sept siete sette zeven sete saat'],
  ['8', 'eight acht huit ocho otto oito aath'],
  ['9', 'nine neun neuf nueve nove negen nau'],
] as const) {
  for (const spelling of spellings.split(' ')) digitValues.set(spelling, digit);
}

/** The digits a run of digit words says ("double oh nine" → "009"). */
export function spokenDigits(value: string): string {
  let digits = '';
  let times = 1;
  for (const word of value.toLowerCase().split(/[ \t,]+/u)) {
    if (/^(?:double|doppio|doppel|dubbel)$/u.test(word)) times = 2;
    else if (word === 'triple') times = 3;
    else if (digitValues.has(word)) (digits += digitValues.get(word)!.repeat(times), (times = 1));
  }
  return digits;
}

/** How far before a run read out its cue may start: the cue (≤ 40 characters), then at most 80 before the run. */
export const spokenCueReach = 128;
const threeDigits = /\d\d\d/;

/**
 * A number read out digit by digit right after a cue (a regex with the `g` flag): "social security
 * number is five two three …", "my card number is four two …". Calls `accept` with the digits and
 * the run's span; only in texts with no three-digit number in figures, as dictation writes none.
 * Runs that start before `from` need not be found.
 */
export function findSpokenNumbers(text: string, cue: RegExp, from: number, accept: (digits: string, start: number, end: number) => void): void {
  if (wholeTextHas(text, threeDigits)) return;
  cue.lastIndex = Math.max(0, from - spokenCueReach);
  for (let anchor = cue.exec(text); anchor !== null; anchor = cue.exec(text)) {
    const after = anchor.index + anchor[0].length;
    run.lastIndex = 0;
    const nearby = run.exec(text.slice(after, after + 400));
    // The run starts right after the cue and a joining word or two ("is", "it's").
    if (nearby === null || !/^[\s:,]*(?:(?:is|it['’]s|es|est|ist|è|é|was)[\s:,]+)?$/iu.test(text.slice(after, after + nearby.index))) continue;
    const value = nearby[0].replace(/[ \t,]+$/u, '');
    cue.lastIndex = after + nearby.index + value.length;
    accept(spokenDigits(value), after + nearby.index, after + nearby.index + value.length);
  }
}

/** Appends the phone numbers written out in words in `text` (those that start before `from` need not be found). */
export function findSpokenPhones(text: string, found: Detection[], from = 0): void {
  // Dictation writes numbers out in words: a text with a three-digit number in figures is not a transcript.
  if (wholeTextHas(text, threeDigits)) return;
  // Runs are looked for only in the 80 characters after a cue word or a "plus": most texts hold none.
  cueAnchor.lastIndex = Math.max(0, from - spokenCueReach);
  for (let anchor = cueAnchor.exec(text); anchor !== null; anchor = cueAnchor.exec(text)) {
    if (/\p{L}/u.test(text[anchor.index - 1] ?? ' ')) continue;
    const after = anchor[0].toLowerCase() === 'plus' ? anchor.index : anchor.index + anchor[0].length;
    // Two digit words within the first 90 characters, or no run here.
    if (!twoDigitWords.test(text.slice(after, after + 90))) continue;
    run.lastIndex = 0;
    // The run must start within 80 characters; it may run on for up to 320 more.
    const nearby = run.exec(text.slice(after, after + 400));
    if (nearby === null || nearby.index > 80) continue;
    const match = { index: after + nearby.index, 0: nearby[0] };
    cueAnchor.lastIndex = match.index + match[0].length;
    const value = match[0].replace(/[ \t,]+$/u, '');
    const digits = digitCount(value);
    if (digits < 7 || digits > 15) continue;
    const before = text.slice(Math.max(0, match.index - 48), match.index);
    if (!/^plus[ \t]/iu.test(value) && !spokenCue.test(before)) continue;
    // "my social security number is five two three …", "card number …": another number's digits.
    if (otherNumber.test(before)) continue;
    found.push({ entity: 'phone', label: 'PHONE', start: match.index, end: match.index + value.length, specificity: 30 });
  }
}
