import type { Detection, Detector } from './detector.ts';
import { ambiguousGivenNames, givenNames } from './given-names.ts';
import { articleBefore, honorifics, nonPersonFollowers, notNameWords } from './name-words.ts';

/*
 * Person names by heuristics, not NER: (a) a name after a cue (my name is, Dear, Mr., patient:,
 * Regards, …) and (b) a known given name followed by one or two capitalised words (a surname).
 * Every regex here is an alternation of literals or a run of one token shape, so scanning stays
 * linear; names are read token by token with sticky regexes.
 */

const entity = 'person_name';
const label = 'PERSON';
const specificity = 20;

// A capitalised name word: Anna, O'Malley, McDonald, Al-Sayed, Jean-Paul, Núñez. Not a camelCase identifier.
const capitalToken = /(?:Mc|Mac|O['’]|D['’])?\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)*(?![\p{L}\p{N}_])/uy;
const upperToken = /\p{Lu}{2,}(?:['’-]\p{Lu}+)*(?![\p{L}\p{N}_])/uy;
const lowerToken = /\p{Ll}{3,}(?![\p{L}\p{N}_])/uy;
const initial = /\p{Lu}\.(?=[ \u00a0]\p{Lu})/uy;
const particle = /(?:van der|van den|van de|von der|de la|de los|del|della|van|von|de|di|da|do|dos|das|du|le|la|bin|ibn|al|el|ter|ten|zu|y)[ \u00a0](?=\p{Lu})/uy;
const leadingParticle = /(?:Van der|Van den|Van de|Von der|Van|Von|De la|De|Da|Di|Del|Della|Du|Le|La|Ten|Ter)(?=[ \u00a0]\p{Lu})/uy;
const listJoint = /(?:,|;|\s+(?:and|&|und|y|et|e|en))[ \u00a0]+/uy;

/** One kind of cue: its phrases and what separates them from the name, as a named group of `cues`. */
const cue = (phrases: string, tail = '\\s+'): string => `(?:${phrases})${tail}`;

/** A name follows for sure: any capitalised words. */
const introCue = cue(`my name is|my name's|me llamo|mi nombre es|je m['’]appelle|mein name ist|ich hei(?:ß|ss)e|mi chiamo|il mio nome è|mijn naam is|ik heet|meu nome é|me chamo`);
/** Probably a name: only a known given name. */
const weakIntroCue = cue(`i['’]m|i am|im|it['’]s|its|this is|ich bin|hier ist|soy|sono|ik ben|je suis|sou`);
/** A form field or record key holding a name ("Patient name:", "\"recipient\": \""), possibly a list. */
const fieldCue = cue(
  `full[ _]?name|first[ _]?name|last[ _]?name|given[ _]?name|family[ _]?name|surname|name on card|card ?holder(?: name)?|account holder|beneficiary(?: name)?|patient(?: name)?|customer(?: name)?|client|applicant|candidate|employee|student|parent/guardian|guardian|emergency contact|contact(?: person| name)?|tenant|guests?|passenger|driver|recipient|attendees|participants|caller|witness|signed|prescriber|gp|name|nom|prénom|nombre|apellidos?|destinatario|titular|naam|voornaam|achternaam|nome|cognome(?: e nome)?|kontoinhaber|lieferadresse|rechnungsadresse|empfänger(?:in)?|ansprechpartner(?:in)?|bill to|ship to|deliver to|attn|attention|cc|bcc|from|to|von|an|de|para`,
  `["']?[ \\t]*[:=][ \\t]*["']?`,
);
/** A role or relation word right before a name ("customer Amanda Reyes", "my wife Ingrid"). */
const roleCue = cue(
  `patient|patientin|paciente|paziente|customer|client|cliente|klant|kunde|kundin|caller|driver|applicant|candidate|subscriber|tenant|employee|mitarbeiterin|mitarbeiter|nurse|contractor|cardholder|colleague|coworker|co-worker|manager|boss|supervisor|intern|babysitter|nanny|neighbou?r|landlady|landlord|wife|husband|partner|son|daughter|mother|father|mom|mum|dad|brother|sister|uncle|aunt|auntie|grandmother|grandfather|grandma|grandpa|cousin|nephew|niece|friend|fianc[ée]e?|girlfriend|boyfriend|mentor|recruiter|hire|user|guest|attention|attn`,
  `[ \\t]*[,:]?[ \\t]+`,
);
/** Titles: case-sensitive, so "m" in "I'm" or "dr" in "Lakeshore Dr" do not count. */
const titleCue =
  /(?<![\p{L}\p{N}_'’])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Herr|Frau|herr|frau|Sr|Sra|Srta|Señor|Señora|Doña|M\.|Mme|Mlle|Monsieur|Madame|Sig|Sig\.ra|Signor|Signora|Dott|Dott\.ssa|Dhr|Mevr|Mevrouw|mevrouw|Meneer)\.?[ \u00a0]+(?=\p{Lu})/gu;
/** Greetings: the name must end the salutation (comma, colon, line end). */
const greetingCue = cue(`dear|hi|hello|hey|hallo|hola|bonjour|salut|ciao|beste|lieve|olá|prezad[oa]|car[oa]|estimad[oa]|querid[oa]|gentile|sehr geehrter?|liebe|lieber|cher|chère`);
/** Closings and signature dashes: the name stands alone on its line. */
const closingCue = cue(
  `(?:best |kind |warm |many )?regards|best wishes|best|sincerely|yours (?:sincerely|truly)|thanks|thank you|many thanks|cheers|love|mit freundlichen grüßen|(?:freundliche|viele|liebe|beste) grüße|gruß|(?:bien )?cordialement|bien à vous|amicalement|atentamente|(?:un |cordiales )?saludos|cordiali saluti|distinti saluti|saluti|met vriendelijke groet|vriendelijke groet|groeten|atenciosamente|(?:com os melhores )?cumprimentos|abraços|[—–]|--`,
  `[ \\t]*[,!.]?[ \\t]*(?:\\r?\\n[ \\t]*|[ \\t]+)`,
);
/** Single given names after verbs of address ("ask Priyanka", "between Chloe and Ravi"). */
const verbCue = cue(`ask(?: for)?|tell|call|text|email|message|ping|remind|invite|thank|between|and|cc`);
/**
 * Every word cue in one pass (one regex scan instead of seven); the group that matched says which.
 * Order matters where phrases overlap: a field ("customer:") before a role ("customer"), a closing
 * ("thanks,") before a verb ("thank").
 */
const cues = new RegExp(
  `(?<![\\p{L}\\p{N}_'’])(?:(?<intro>${introCue})|(?<field>${fieldCue})|(?<closing>${closingCue})|(?<weak>${weakIntroCue})|(?<role>${roleCue})|(?<greeting>${greetingCue})|(?<verb>${verbCue}))`,
  'giu',
);
/** A given name opening a line or a quotation and followed by a comma: an address ("Kevin, you still owe me…"). */
const vocative = /(?:^|["“\n])[ \t]*(?=\p{Lu})/gu;
/** A name right before an email address in angle brackets: `Andrea Rossi <andrea@…>`. */
const beforeEmail = /((?:\p{Lu}[\p{Ll}'’-]+[ \u00a0]){0,3}\p{Lu}[\p{Ll}'’-]+)[ \u00a0]*<[^\s<>@]{1,64}@/gu;
/** A capitalised word that may start a name (the dictionary path). */
const capitalWord = /(?<![\p{L}\p{N}_$.@#/\\-]|\p{L}['’])\p{Lu}\p{Ll}+(?![\p{L}\p{N}_])/gu;

// General-knowledge questions ("Who was Marie Curie?") name public figures: no dictionary-only names there.
const knowledgeFrame =
  /^\s*(?:who|what|when|where|why|how|which|is|was|did|does|do|explain|describe|summari[sz]e|compare|tell me about|list|recommend|give me|write (?:a|an) (?:short )?(?:essay|summary|paragraph|article)|wer|was|wie|warum|erkläre|erklär|quién|qué|cuál|cómo|explícame|explica|qui|que|quel|quelle|explique|chi|che|qual|spiegami|spiega|wat|wie|waarom|hoe|quem|o que|qual)\b/iu;
const personalContext = /\b(?:my|our|mine|I['’]m|I am|mein|meine|mi|mis|mon|ma|mes|mio|mia|mijn|meu|minha)\b/iu;

interface NameSpan {
  start: number;
  end: number;
  /** Lower-case name words (particles and initials left out). */
  words: string[];
}

interface ReadOptions {
  /** ALL-CAPS words count (form values: "VICTORIA HALE"). */
  caps?: boolean;
  /** A lower-case first word counts if it is a known given name ("i am maria"). */
  lower?: boolean;
  /** Initials count ("Dr. S. Kaur", "Robert J. Callahan"). */
  initials?: boolean;
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** Up to four name words from `at`; stops before a word that is not part of names. */
function readName(text: string, at: number, options: ReadOptions = {}): NameSpan | undefined {
  const names = givenNames();
  // "Dr. S. Kaur", "Ms. Van der Berg": initials or a capitalised particle before the surname.
  const lead = options.initials ? (matchAt(initial, text, at) ?? matchAt(leadingParticle, text, at)) : undefined;
  if (lead !== undefined) {
    const rest = readName(text, at + lead.length + 1, options);
    return rest && { ...rest, start: at };
  }
  let first = matchAt(capitalToken, text, at) ?? (options.caps ? matchAt(upperToken, text, at) : undefined);
  if (first === undefined && options.lower) {
    const word = matchAt(lowerToken, text, at);
    if (word !== undefined && names.has(word) && !ambiguousGivenNames.has(word)) return { start: at, end: at + word.length, words: [word] };
  }
  if (first === undefined || notNameWords.has(first.toLowerCase()) || honorifics.has(first.toLowerCase())) return undefined;
  const words = [first.toLowerCase()];
  let end = at + first.length;
  while (words.length < 4 && (text[end] === ' ' || text[end] === '\u00a0')) {
    let next = end + 1;
    const initialMark = matchAt(initial, text, next);
    if (initialMark !== undefined) {
      end = next + initialMark.length;
      continue;
    }
    const joiner = matchAt(particle, text, next);
    if (joiner !== undefined) next += joiner.length;
    const word = matchAt(capitalToken, text, next) ?? (options.caps ? matchAt(upperToken, text, next) : undefined);
    if (word === undefined) break;
    const lower = word.toLowerCase();
    if (notNameWords.has(lower) || nonPersonFollowers.has(lower) || honorifics.has(lower)) break;
    words.push(lower);
    end = next + word.length;
  }
  return { start: at, end, words };
}

/** The word right after a span (lower case), to reject "Victoria Station" or "Chase Bank". */
function nextWord(text: string, end: number): string {
  return /^[ \u00a0]?([\p{L}]+)/u.exec(text.slice(end, end + 24))?.[1]?.toLowerCase() ?? '';
}

function atSentenceStart(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 4), start);
  return start === 0 || /(?:^|[.!?:\n"“(]\s*)$/u.test(before) || /^\s+$/u.test(text.slice(0, start));
}

/** Person names (label PERSON): after cue phrases in EN/DE/ES/FR/IT/NL/PT, or a known given name plus a surname. */
export function personNameDetector(): Detector {
  const names = givenNames();
  return {
    entity,
    label,
    specificity,
    find(text: string, found: Detection[]) {
      const push = (start: number, end: number): void => void found.push({ entity, label, start, end, specificity });
      const known = (word: string): boolean => names.has(word);

      // (a) Cues.
      const frame = knowledgeFrame.test(text.slice(0, 80)) && !personalContext.test(text);
      cues.lastIndex = 0;
      for (let match = cues.exec(text); match !== null; match = cues.exec(text)) {
        const at = match.index + match[0].length;
        const kind = match.groups!;
        if (kind.intro !== undefined) {
          const name = readName(text, at, { lower: true, caps: true });
          if (name) push(name.start, name.end);
        } else if (kind.field !== undefined) {
          fieldNames(text, at, push);
        } else if (kind.closing !== undefined) {
          const name = readName(text, at, { initials: true });
          if (name && (known(name.words[0]) || name.words.length >= 2) && /^[ \t]*(?:[,\n]|$)/u.test(text.slice(name.end, name.end + 2))) push(name.start, name.end);
        } else if (kind.weak !== undefined) {
          const name = readName(text, at, { lower: true });
          if (name && known(name.words[0]) && !(name.words.length === 1 && ambiguousGivenNames.has(name.words[0]) && /^[ \u00a0]?\p{Ll}/u.test(text.slice(name.end, name.end + 2)))) push(name.start, name.end);
        } else if (kind.role !== undefined) {
          const name = readName(text, at, { initials: true });
          const roleLowerCase = /^\p{Ll}/u.test(text[match.index] ?? '');
          if (name && (known(name.words[0]) || (name.words.length >= 2 && roleLowerCase)) && !nonPersonFollowers.has(nextWord(text, name.end))) push(name.start, name.end);
        } else if (kind.greeting !== undefined) {
          const name = readName(text, at, { initials: true });
          if (name && /^[ \t]*(?:[,:;!\n—–]|$)/u.test(text.slice(name.end, name.end + 3))) push(name.start, name.end);
        } else if (!frame) {
          // A verb of address: a single known given name ("ask Priyanka"); outside knowledge questions.
          const name = readName(text, at);
          if (name && name.words.length === 1 && known(name.words[0]) && !ambiguousGivenNames.has(name.words[0]) && !nonPersonFollowers.has(nextWord(text, name.end))) push(name.start, name.end);
        }
      }
      titleCue.lastIndex = 0;
      for (let match = titleCue.exec(text); match !== null; match = titleCue.exec(text)) {
        const name = readName(text, match.index + match[0].length, { initials: true, caps: true });
        if (name && !nonPersonFollowers.has(nextWord(text, name.end))) push(match.index, name.end);
      }
      if (text.includes('<')) beforeEmail.lastIndex = 0;
      else beforeEmail.lastIndex = text.length;
      for (let match = beforeEmail.exec(text); match !== null; match = beforeEmail.exec(text)) {
        const name = readName(text, match.index, { initials: true });
        if (name) push(name.start, name.end);
      }

      tableNames(text, push);

      // (b) The dictionary: a given name and a surname, outside general-knowledge questions and headings.
      if (frame) return;
      vocative.lastIndex = 0;
      for (let match = vocative.exec(text); match !== null; match = vocative.exec(text)) {
        if (match[0].length === 0) vocative.lastIndex++;
        const name = readName(text, match.index + match[0].length);
        if (name && name.words.length === 1 && known(name.words[0]) && !ambiguousGivenNames.has(name.words[0]) && text[name.end] === ',') push(name.start, name.end);
      }
      let lineEnd = -1;
      let heading = false;
      capitalWord.lastIndex = 0;
      for (let match = capitalWord.exec(text); match !== null; match = capitalWord.exec(text)) {
        const first = match[0].toLowerCase();
        if (!names.has(first)) continue;
        const start = match.index;
        if (start > lineEnd) {
          // Once per line: a Title Case line is a heading, not a sentence about people.
          const lineStart = text.lastIndexOf('\n', start) + 1;
          lineEnd = text.indexOf('\n', start);
          if (lineEnd === -1) lineEnd = text.length;
          heading = titleCaseLine(text.slice(lineStart, lineEnd));
        }
        if (heading) continue;
        const name = readName(text, start, { initials: true });
        if (!name || name.words.length < 2) continue;
        capitalWord.lastIndex = name.end;
        if (nonPersonFollowers.has(nextWord(text, name.end))) continue;
        if (articleBefore.test(text.slice(Math.max(0, start - 6), start))) continue;
        if (ambiguousGivenNames.has(first) && atSentenceStart(text, start)) continue;
        push(name.start, name.end);
      }
    },
  };
}

/** Four or more words, three quarters of them capitalised: a heading or a title. */
function titleCaseLine(line: string): boolean {
  if (line.length > 300) return false;
  const wordsOnLine = line.match(/\p{L}+/gu) ?? [];
  if (wordsOnLine.length < 4) return false;
  const capitalised = wordsOnLine.filter((word) => /^\p{Lu}/u.test(word)).length;
  return capitalised / wordsOnLine.length >= 0.75;
}

const nameColumn = /^(?:(?:full|first|last|given|family|sur|customer|contact|patient|employee|client)?[ _]?name|first|last|surname|nombre|apellidos?|nom|prénom|naam|voornaam|achternaam|nome|cognome|vorname|nachname)$/i;
const cellName = /^\p{Lu}[\p{L}'’ .-]{0,60}$/u;

/** CSV-like records: the cells under a name column of the first line ("id,first_name,last_name"). */
function tableNames(text: string, push: (start: number, end: number) => void): void {
  const headerEnd = text.indexOf('\n');
  if (headerEnd === -1 || headerEnd > 400) return;
  const header = text.slice(0, headerEnd);
  const separator = [',', ';', '\t', '|'].find((candidate) => header.includes(candidate));
  if (separator === undefined) return;
  const columns = header.split(separator).map((cell) => nameColumn.test(cell.trim()));
  if (!columns.includes(true)) return;
  for (let lineStart = headerEnd + 1; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let cellStart = lineStart;
    for (let column = 0; cellStart <= lineEnd; column++) {
      let cellEnd = text.indexOf(separator, cellStart);
      if (cellEnd === -1 || cellEnd > lineEnd) cellEnd = lineEnd;
      if (columns[column]) {
        const raw = text.slice(cellStart, cellEnd);
        const value = raw.trim();
        if (cellName.test(value)) {
          const start = cellStart + raw.indexOf(value);
          push(start, start + value.length);
        }
      }
      cellStart = cellEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
}

/** The names after a form field or record key, a list of them included ("cc: Maria Gonzalez, Tom Fischer"). */
function fieldNames(text: string, at: number, push: (start: number, end: number) => void): void {
  for (let position = at; ; ) {
    const name = readName(text, position, { caps: true, initials: true });
    if (!name || nonPersonFollowers.has(nextWord(text, name.end))) return;
    push(name.start, name.end);
    const joint = matchAt(listJoint, text, name.end);
    if (joint === undefined) return;
    position = name.end + joint.length;
    // The next list item must look like a name, not the next field ("; IBAN:", ", DOB 04/22").
    const next = readName(text, position);
    if (!next || /^[ \t]*[:=]/u.test(text.slice(next.end, next.end + 2))) return;
  }
}
