import { givenNames } from './given-names.ts';
import { honorifics, notNameWords } from './name-words.ts';
import { cjkName } from './person-name-records.ts';
import { streamState } from './whole-text.ts';

/**
 * Display names of chat exports: WhatsApp/Signal lines (`[14/03/2024, 09:41] Priya Kapoor: …`,
 * `12/04/24, 9:41 PM - Rahul: …`), IRC (`[16:20] <lukas> …`) and the header lines Teams and Slack
 * copy above a message (`Fischer, Anna 10:02`, `Suzuki Takumi 10:14 AM`). The speaker is a person
 * unless it is a relation (`Mum`), a handle (`nightowl_88`) or a word that is not a name.
 */

const timestamp = String.raw`\[[^\]\n]{0,30}\d{1,2}[:.]\d{2}[^\]\n]{0,12}\]|\d{1,4}[./-]\d{1,2}[./-]\d{2,4},?[ \t]+\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?[ \t]+[-–]`;
/** `[time] Name:` or `[time] <nick>` at a line start. */
const speakerLine = new RegExp(String.raw`^[ \t]*(?:${timestamp})[ \t]*(?:<([^<>\n]{1,40})>|([^:\n<>\[\]]{1,40}):[ \t])`, 'dgmuy');
/** A line that holds only a name and a time: the header above a Teams or Slack message. */
const headerLine = /^[ \t]*([^\n\d:,]{1,40}(?:,[ \t]+[^\n\d:,]{1,30})?)[ \t]+\d{1,2}:\d{2}(?:[ \t]?[AaPp][Mm])?[ \t]*(?=\n)/dgmuy;
/** The same, on the last line of a stream's text ("… 10:14 A" too): a message may still follow it (whole-text.ts). */
const openHeaderLine = /^[ \t]*([^\n\d:,]{1,40}(?:,[ \t]+[^\n\d:,]{1,30})?)[ \t]+\d{1,2}:\d{2}(?:[ \t]?[AaPp][Mm]?)?[ \t]*$/dgmuy;

/** Contact names that are relations or system senders, not people's names. */
const notSpeakers = new Set(['mum', 'mom', 'dad', 'mama', 'papa', 'mamma', 'papà', 'babbo', 'mamá', 'papá', 'maman', 'mãe', 'pai', 'mutti', 'vati', 'oma', 'opa', 'tata', 'nonna', 'nonno', 'grandma', 'grandpa', 'nan', 'you', 'me']);
/** Senders that are services, not people ("Build Server", "CI Bot", "Error"). */
const serviceWords = new Set(['system', 'bot', 'admin', 'messages', 'whatsapp', 'teams', 'slack', 'server', 'build', 'deploy', 'error', 'warning', 'warn', 'info', 'debug', 'alert', 'alerts', 'service', 'support', 'team', 'notification', 'notifications', 'monitor', 'ci', 'cron', 'jenkins', 'github', 'gitlab', 'meeting', 'call', 'lunch', 'standup']);
const capitalWord = /^(?:\p{Lu}[\p{Ll}'’-]*\.?|\p{Lu}\.?|(?:van|von|de|der|den|da|di|del|le|la|el|al|bin)|O['’]\p{Lu}\p{Ll}+)$/u;

/** Where the person's name lies in a speaker label (a leading title or role word left out), or nothing. */
function speakerName(label: string, header: boolean): [number, number] | undefined {
  const trimmed = label.trim();
  if (trimmed === '' || /[\d_@#/\\|=]/u.test(trimmed)) return undefined;
  const offset = label.indexOf(trimmed);
  if (cjkName.test(trimmed)) return [offset, offset + trimmed.length];
  const words = trimmed.split(/,?[ \t]+|,(?=\S)/u);
  if (words.length > 4 || notSpeakers.has(trimmed.toLowerCase())) return undefined;
  let skip = 0;
  // "Coach Dave", "Dr Patel": the title is not part of the name.
  if (words.length > 1 && (honorifics.has(words[0].toLowerCase().replace(/\.$/u, '')) || words[0] === 'Coach')) skip = words[0].length + (trimmed.slice(words[0].length).match(/^[ \t]+/u)?.[0].length ?? 0);
  const rest = words.slice(skip === 0 ? 0 : 1);
  if (rest.some((word) => notNameWords.has(word.toLowerCase()) || serviceWords.has(word.toLowerCase()))) return undefined;
  // A bare header line ("Fischer, Anna 10:02") needs a surname-first pair or a known given name.
  if (header && !trimmed.includes(',') && !rest.some((word) => givenNames().has(word.toLowerCase()))) return undefined;
  if (header && rest.length < 2) return undefined;
  // Lower-case display names ("devon", "lukas") only when the first is a known given name.
  const named = rest.every((word) => capitalWord.test(word)) || (/^\p{Ll}/u.test(rest[0]) && givenNames().has(rest[0]) && rest.length <= 2);
  return named ? [offset + skip, offset + trimmed.length] : undefined;
}

/**
 * Calls `push` with the display names of the chat export lines in `text` (from the line holding
 * `from` on), and `pushOpen` with the name of a stream's last line that is a header but for the
 * message that is yet to follow it.
 */
export function chatSpeakers(text: string, push: (start: number, end: number) => void, from = 0, pushOpen?: (start: number, end: number) => void): void {
  const firstLine = text.lastIndexOf('\n', from - 1) + 1;
  if (!/\d[:.]\d\d/u.test(firstLine === 0 ? text : text.slice(firstLine))) return;
  // Line by line: a speaker line opens with a bracket or a date, a header line is short and ends with a time.
  for (let lineStart = firstLine; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const first = text.charCodeAt(lineStart + (text[lineStart] === ' ' ? 1 : 0));
    const open = lineEnd === text.length && pushOpen !== undefined;
    const pattern = first === 91 || (first >= 48 && first <= 57) ? speakerLine : lineEnd - lineStart <= 60 ? (lineEnd < text.length ? headerLine : open ? openHeaderLine : undefined) : undefined;
    if (pattern !== undefined) {
      pattern.lastIndex = lineStart;
      const match = pattern.exec(text);
      if (match !== null && match.index === lineStart) {
        const group = match[1] === undefined ? 2 : 1;
        const span = speakerName(match[group] ?? '', pattern !== speakerLine);
        if (span !== undefined) (pattern === openHeaderLine ? pushOpen! : push)(match.indices![group]![0] + span[0], match.indices![group]![0] + span[1]);
      }
    }
    lineStart = lineEnd + 1;
  }
}

/** The message bodies of a chat export's speaker lines (`[time] Name: body`), in order. */
export function chatMessages(text: string): Array<{ start: number; end: number }> {
  // A stream reads on from its last whole line (whole-text.ts).
  const state = streamState(wholeLines, () => ({ readTo: 0, messages: [] as Array<{ start: number; end: number }> }));
  const messages = state === undefined ? [] : [...state.messages];
  for (let lineStart = state?.readTo ?? 0; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    const whole = lineEnd !== -1;
    if (!whole) lineEnd = text.length;
    speakerLine.lastIndex = lineStart;
    const match = speakerLine.exec(text);
    const message = match === null ? undefined : { start: match.index + match[0].length, end: lineEnd };
    if (message !== undefined) messages.push(message);
    if (state !== undefined && whole) {
      if (message !== undefined) state.messages.push(message);
      state.readTo = lineEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
  return messages;
}
/** A stream's speaker lines already read whole. */
const wholeLines = {};
