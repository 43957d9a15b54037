import { ambiguousGivenNames, givenNames } from './given-names.ts';
import { notNameWords } from './name-words.ts';
import { lowerNameToken, matchAt } from './person-name-reading.ts';

/** Names by how people are addressed: honorific suffixes and voice-assistant commands (person-name.ts). */

/** A surname or given name with an honorific suffix: "Gupta ji", "Suresh ji", "Tanaka-san", "Mori-sensei". */
const honorificSuffix = /(?<![\p{L}\p{N}_'’-])(\p{Lu}\p{Ll}{1,20})(?:[ \u00a0]ji|-(?:san|sama|sensei))(?![\p{L}\p{N}_])/gu;

/** Appends the names said with an honorific suffix. */
export function honorificSuffixNames(text: string, push: (start: number, end: number) => void, from = 0): void {
  if (!/ ji|-san|-sama|-sensei/u.test(from === 0 ? text : text.slice(from))) return;
  honorificSuffix.lastIndex = from;
  for (let match = honorificSuffix.exec(text); match !== null; match = honorificSuffix.exec(text)) {
    if (!notNameWords.has(match[1].toLowerCase())) push(match.index, match.index + match[1].length);
  }
}

/**
 * A dictated command to a phone's assistant at the start of a text: "text sarah im running late",
 * "hey siri call mike henderson mobile", "nachricht an sabine …", "messaggio per luca …",
 * "envoyer un message à jacques …". Dictation writes names in lower case, so only a known given
 * name (not an ambiguous one such as "will" or "mark") counts.
 */
const command =
  /^[ \t]*(?:(?:hey|ok|okay|hi)[ \t]+(?:siri|google)[ \t,]*|alexa[ \t,]+)?(?:call|ring|phone|text|message|email|ping|remind|send (?:a )?(?:text|message|sms) to|nachricht an|schreib(?:e)?(?: eine nachricht an)?|ruf(?: mal)?|messaggio (?:per|a)|chiama|scrivi a|(?:envoyer|envoie|envoyez) un (?:message|sms|texto) à|appelle|écris à|mensaje (?:para|a)|llama a|escribe a|bericht (?:aan|voor)|bel|stuur (?:een )?(?:bericht|sms) (?:naar|aan)|mensagem para|liga(?:r)? para)[ \t]+/iu;

/** Appends the given name of a dictated command at the start of the text. */
export function commandNames(text: string, push: (start: number, end: number) => void): void {
  const head = command.exec(text.slice(0, 80));
  if (head === null) return;
  const at = head[0].length;
  const first = matchAt(lowerNameToken, text, at) ?? /^\p{Lu}\p{Ll}+/u.exec(text.slice(at, at + 30))?.[0];
  if (first === undefined) return;
  const word = first.toLowerCase();
  if (!givenNames().has(word) || ambiguousGivenNames.has(word) || notNameWords.has(word)) return;
  push(at, at + first.length);
}
