import { stripObfuscatingMarks } from './combining-marks.ts';
import { mapLookAlikes } from './look-alike-letters.ts';
import { runOnFrom, splitRunOn } from './run-on-words.ts';
import type { TextView } from './signals/signal.ts';

// Zero-width, bidi and tag characters, soft hyphens, Hangul fillers (blank letters) and variation
// selectors (which choose a glyph, never a letter).
const invisible = /[\u200B-\u200F\u2060-\u2064\u180B-\u180F\u00AD\u034F\uFEFF\u202A-\u202E\u2066-\u2069\uFE00-\uFE0F\u115F\u1160\u3164\uFFA0]|[\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}]/gu;
const leet: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's' };

const tokens = /[\p{L}\p{M}0-9@$]+/gu;

/** A token whose digits are all leet digits: "1gn0r3", "570p", "70". */
function leetLike(token: string): boolean {
  return /[013457@$]/.test(token) && !/[2689]/.test(token);
}

/**
 * "1gn0r3 prev10us" -> "ignore previous", "1nstruç03s 4nt3r10r3s" -> "instruções anteriores": tokens
 * with two or more letters whose digits are all leet digits. In a text written in leetspeak
 * throughout (three such tokens or more, and two in five of its words), also the tokens with one
 * letter or none ("570p" -> "stop", "n0" -> "no", "70" -> "to", "4" -> "a"): there they are words too.
 */
function unLeet(text: string): string {
  // A leet digit between letters ("1gn0re", "pr3vious"); '@' and '$' alone (emails, prices) do not start it.
  if (!/(?<=\p{L})[013457](?=\p{L})|(?<![\p{L}\p{N}])[013457]\p{L}{2,}[013457]/u.test(text)) return text;
  let words = 0;
  let mixed = 0;
  const undone = text.replace(tokens, (token) => {
    words++;
    if (!leetLike(token) || !/\p{L}/u.test(token)) return token;
    mixed++;
    return /\p{L}.*\p{L}/u.test(token) ? token.replace(/[013457@$]/g, (character) => leet[character] ?? character) : token;
  });
  // Rarely: leetspeak throughout, and the tokens with one letter or none are words too.
  if (mixed < 3 || mixed < words * 0.4) return undone;
  return undone.replace(tokens, (token) => (leetLike(token) && (/\p{L}/u.test(token) || token.length <= 3) ? token.replace(/[013457@$]/g, (character) => leet[character] ?? character) : token));
}

// Framing that analyses or asks about text rather than issuing it. Topic words ("filters", "security")
// are left out on purpose: attacks use them too.
const discussionCues =
  /\b(?:what(?:'s| (?:is|are|was|were|does|do|did|would))|explain|histor(?:y|ical)|memes?|origins? of|(?:came|comes|come) from|examples? of|classif\w*|detect\w*|defen[sd]\w*|protect\w* against|prevent\w*|mitigat\w*|is (?:this|that|it) (?:a|an)|how (?:do|does|can|would|should|could)|why (?:do|does|did|would|is|are|was|were)|research\w*|(?<!\b(?:summari[sz]e|proofread|rewrite|shorten|condense|edit|review|extract [\w ]{1,20} from|tl;?dr(?: of)?) (?:this|the|the following|the attached|my|our) )(?:paper|article|blog)|dataset|label\w*|red[- ]team\w*|known as|so-called|meaning|phrase|write a (?:story|test|unit test|rule|blog post|scene)|release notes|change ?log|press release|announcement|translate|paraphrase|erkläre|erklär|was bedeutet|bedeutet|was ist|wie funktioniert|qu'est-ce que|que significa|explica|spiega|flag\w*|regex\w*|filter\w*|match(?:es|ing)?|catch(?:es|ing)?|scan\w*|guardrails?|sanitiz\w*|phrases? like|bug bounty|researcher|reported|which of these|should we|best practice|test (?:sets?|cases?|data)|attack attempt|incident (?:summary|report|write-?up|analysis|timeline)|post-?mortem|found (?:this|these|it|the following) in (?:the|our|a|an|their) (?:\w+ )?(?:logs?|tickets?|e-?mails?|inbox|transcripts?|traffic|requests?|chat logs?)|(?:users?|customers?|someone|somebody) (?:sent|sends|pasted|pastes|typed|types|posted|wrote)|log(?:ged)? (?:it |this |that )?as|(?:talk|article|book|essay|post|paper|chapter|session|course|presentation|workshop|section|slide|video|episode|song|poem|story|novel|thesis|lecture|webinar|panel) (?:titled|entitled|called|named)|is the (?:sentence|phrase|line|string|message|text|wording|prompt|snippet)|what (?:category|type|kind|class|family)|taxonom\w*|(?:but )?(?:don't|do not|never) (?:follow|obey|execute|act on|carry out) (?:it|them|this|that))\b/i;

// The same framing in other languages: classify, translate, explain, "is this an attack?", why,
// what does it mean, an example for a course. Without \b, which only knows ASCII letters.
const otherLanguageDiscussionCues =
  /(?<![\p{L}])(?:klassifizier\w*|einordnen|zuordnen|übersetz\w*|ist (?:das|dies|diese nachricht) (?:ein|eine)|erklär\w*|warum|was bedeutet|beispiel\w*|schulung\w*|testdatensatz|classe[rz]?|classifie\w*|tradui[st]\w*|tradui[rs]e|est-ce (?:une?|que)|expliqu\w*|pourquoi|signifie|exemple|clasific\w*|tradu[cz]\w*|tradúce\w*|¿es (?:esto|esta|este)|explica\w*|por ?qu[eé]|significa\w*|ejemplo|classific\w*|è un (?:attacco|tentativo)|spiega\w*|perché|esempio|classifi\w*|é uma tentativa|expliq\w*|exemplo|classificeer|vertaal|is dit een|leg uit|waarom|betekent|voorbeeld|sklasyfikuj|klasyfik\w*|przetłumacz\w*|czy to|wyjaśnij|dlaczego|przykład\w*|klassificera|översätt|är det (?:ett|en)|förklara|varför|exempel|sınıflandır\w*|çevir\w*|girişimi mi|açıkla\w*|örnek\w*|klasifikasikan|terjemahkan|apakah|jelaskan|mengapa|kenapa|contoh|phân loại|giải thích|tại sao|có phải|ví dụ|классифиц\w*|переведи\w*|является ли|объясни\w*|почему|пример\w*|класифік\w*|переклади|чи є|поясни|чому|приклад\w*)(?![\p{L}])|分类|翻译|算不算|是不是|是否|解释|为什么|例子|分類|翻訳|でしょうか|説明|なぜ|분류|번역|판단|설명|예시|صن[ّ]?ف|ترجم|هل هذه|اشرح|لماذا|مثال|वर्गीकरण|अनुवाद|क्या यह|समझा|क्यों|उदाहरण/iu;

function quotedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const match of text.matchAll(/"[^"\n]{2,400}"|“[^”\n]{2,400}”|„[^“”\n]{2,400}[“”]|«[^»\n]{2,400}»|「[^」\n]{2,400}」|『[^』\n]{2,400}』|`[^`]{2,600}`|(?<![\w])'[^'\n]{2,400}'(?![\w])/g)) spans.push([match.index, match.index + match[0].length]);
  return spans;
}

/**
 * "I g n o r e   a l l" -> "Ignore all", "I.g.n.o.r.e" -> "Ignore", "Ig-\nnore" -> "Ignore",
 * "Ignore🔥all🔥rules" -> "Ignore all rules": spacing, dots, hyphenation and emoji that split or join words.
 */
function rejoinWords(text: string): string {
  let joined = text;
  // A whole sentence spelled out with no gap between its words is cut back into words (run-on-words.ts).
  const join = (letters: string, separator: RegExp): string => {
    const run = letters.replace(separator, '');
    return run.length >= runOnFrom ? splitRunOn(run) : run;
  };
  if (/(?:^|\s)\p{L}(?: \p{L}){5,}(?:[\s\p{P}]|$)/u.test(joined)) joined = joined.replace(/(?<![^\s])\p{L}(?: \p{L})+(?=[\s\p{P}]|$)/gu, (letters) => join(letters, / /g));
  // Once four or more single letters are joined by dots somewhere, runs of three or more are joined ("a.l.l"); "e.g." stays.
  // In a text dotted throughout (three such runs or more), two-letter words too ("n.o", "t.o"), and
  // each run is one word: "c.o.n.f.i.g.u.r.a.t.i.o.n" is not a sentence spelled without gaps.
  // (Written from its first dot: a regex that opens with \p{L} is tried at every letter of the text.)
  if (/(?<=\p{L})\.\p{L}\.\p{L}\.(?=\p{L})/u.test(joined)) {
    const runs = joined.match(/(?<![\p{L}\p{N}.])\p{L}(?:\.\p{L}){2,}(?![\p{L}\p{N}])/gu)?.length ?? 0;
    if (runs >= 3) joined = joined.replace(/(?<![\p{L}\p{N}.])\p{L}(?:\.\p{L})+(?![\p{L}\p{N}])/gu, (letters) => letters.replace(/\./g, ''));
    else joined = joined.replace(/(?<![\p{L}\p{N}.])\p{L}(?:\.\p{L}){2,}(?![\p{L}\p{N}])/gu, (letters) => join(letters, /\./g));
  }
  if (/(?<=\p{L})-\n(?=\p{L})/u.test(joined)) joined = joined.replace(/(\p{L})-\n(\p{L})/gu, '$1$2');
  // "Ig-nore prev-ious in-struc-tions": a word cut by hyphens where no compound has them, joined
  // only when the whole is a word attacks are made of ("e-mail", "well-known" stay).
  if (/(?<=\p{L})-(?=\p{L})/u.test(joined)) joined = joined.replace(/(?<![\p{L}-])\p{L}+(?:-\p{L}+)+(?![\p{L}-])/gu, (word) => (hyphenSplitWords.has(word.replaceAll('-', '').toLowerCase()) ? word.replaceAll('-', '') : word));
  if (/\p{Extended_Pictographic}/u.test(joined)) joined = joined.replace(/(?<=\p{L})(?:\p{Extended_Pictographic}\uFE0F?)+(?=\p{L})/gu, ' ');
  return joined;
}

/** Words an attack is made of, read whole when hyphens cut them ("prev-ious", "sys-tem pro-mpt"). */
const hyphenSplitWords = new Set(
  'ignore ignoring disregard forget previous prior earlier above instructions instruction rules guidelines system prompt reveal output print repeat show bypass override jailbreak restrictions filters unrestricted unfiltered developer password secret confidential hidden initial original everything anything pretend'.split(' '),
);

const topicDiscussed = new WeakMap<TextView, boolean>();

/**
 * Whether a discussion cue is anywhere in the message, quotes included: a topic mentioned ("the
 * so-called DAN prompt") in a pasted paragraph that asks how the DAN trend started is discussed
 * there, though the request around it ("proofread this paragraph") is not a discussion.
 */
export function discussedAnywhere(view: TextView): boolean {
  if (view.discussion) return true;
  let answer = topicDiscussed.get(view);
  if (answer === undefined) {
    answer = discussionCues.test(view.normalized) || otherLanguageDiscussionCues.test(view.normalized);
    topicDiscussed.set(view, answer);
  }
  return answer;
}

/** Prepares one message's text for the signals. */
export function viewOf(text: string, role: string): TextView {
  const ascii = !/[^\x00-\x7F]/.test(text);
  // Plain ASCII has nothing for NFKC, invisible characters or confusables to change.
  const prepared = ascii ? text : mapLookAlikes(stripObfuscatingMarks(text.normalize('NFKC').replace(invisible, '')));
  let normalized = prepared;
  // Only runs of blanks and odd blanks are rewritten: replacing every single space is costly.
  normalized = normalized.replace(/[ \t\u00A0]{2,}|[\t\u00A0]/g, ' ');
  if (!ascii) normalized = normalized.replace(/[’‘]/g, "'");
  const quoted = quotedSpans(normalized);
  // The framing decides whether this is a discussion: quoted material (a pasted document) does not count.
  let framing = '';
  let cursor = 0;
  for (const [from, to] of quoted) {
    framing += normalized.slice(cursor, from) + ' ';
    cursor = to;
  }
  framing += normalized.slice(cursor);
  // Letter-spaced text is despaced before the blank runs that separate its words are collapsed.
  const rejoined = rejoinWords(prepared);
  const unleeted = unLeet(rejoined === prepared ? normalized : rejoined.replace(/[ \t\u00A0]{2,}|[\t\u00A0]/g, ' '));
  const alternative = unleeted === normalized ? null : unleeted;
  const lowered = (alternative === null ? normalized : `${normalized}\n${alternative}`).toLowerCase();
  return { original: text, normalized, unleeted: alternative, role, discussion: discussionCues.test(framing) || otherLanguageDiscussionCues.test(framing), quoted, lowered };
}
