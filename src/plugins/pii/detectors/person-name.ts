import { indexAfter, type Detection, type Detector } from './detector.ts';
import { wantsProvisional, wholeTextHas } from './whole-text.ts';
import { chatSpeakers } from './chat-speakers.ts';
import { ambiguousGivenNames, givenNames } from './given-names.ts';
import { articleBefore, impersonationBefore, nonPersonFollowers, notNameWords, placeFirstWords, titleBrands, voiceAssistants } from './name-words.ts';
import { atSentenceStart, lowerNameToken, matchAt, nextWord, readName, type NameSpan } from './person-name-reading.ts';
import { commandNames, honorificSuffixNames } from './person-name-addressed.ts';
import { fieldNames, greetingNames, listLineNames, signatureLines, surnameFirstNames, tableNames, titleCaseLine } from './person-name-records.ts';

/*
 * Person names by heuristics, not NER: (a) a name after a cue (my name is, Dear, Mr., patient:,
 * Regards, …) and (b) a known given name followed by one or two capitalised words (a surname).
 * Every regex here is an alternation of literals or a run of one token shape, so scanning stays
 * linear; names are read token by token with sticky regexes.
 */

const entity = 'person_name';
const label = 'PERSON';
const specificity = 20;

/** One kind of cue: its phrases and what separates them from the name, as a named group of `cues`. */
const cue = (phrases: string, tail = '\\s+'): string => `(?:${phrases})${tail}`;

/** A name follows for sure: any capitalised words. */
const introCue = cue(`my name is|my name's|me llamo|mi nombre es|je m['’]appelle|mein name ist|ich hei(?:ß|ss)e|mi chiamo|il mio nome è|mijn naam is|ik heet|meu nome é|me chamo|jag heter|mitt namn är|jeg heter|mitt navn er|mit navn er|nazywam się|mam na imię`);
/** Probably a name: only a known given name. */
const weakIntroCue = cue(`i['’]m|i am|im|it['’]s|its|this is|ich bin|ich bin['’]?s|hier ist|soy|sono|ik ben|je suis|sou|aqui (?:é|fala)(?: [ao])?|u spreekt met|je spreekt met|(?:hej|cześć|czesc|dzień dobry|halo)[ ,]+tu`);
/** A form field or record key holding a name ("Patient name:", "\"recipient\": \""), possibly a list. */
const fieldCue = cue(
  `(?:kids|children|sons|daughters|grandchildren|grandkids)['’]?[ \\t]+names?|children|kids|full[ _]?name|first[ _]?name|middle[ _]?name|given|family|fore[ _]?names?|last[ _]?name|given[ _]?name|family[ _]?name|surname|name on card|card ?holder(?: name)?|account holder|beneficiary(?: name)?|patient(?: name)?|customer(?: name)?|client|applicant|candidate|employee|student|parent/guardian|guardian|emergency contact|contact(?: person| name)?|tenant|guests?|passenger|driver|recipient|attendees|participants|caller|witness|signed|prescriber|gp|pt|member|holder|traveller|traveler|borrowers?|buyer|seller|notary|host|owner|assignee|requester|name|nom|prénom|nombre|apellidos?|destinatario|titular|naam|voornaam|achternaam|nome|cognome(?: e nome)?|kontoinhaber|lieferadresse|rechnungsadresse|empfänger(?:in)?|ansprechpartner(?:in)?|bill to|ship to|deliver to|attn|attention|cc|bcc|from|to|von|an|de|para`,
  `["']?[ \\t]*[:=][ \\t]*["']?`,
);
/**
 * More record keys holding a name (`"nachname":"…"`, `"imie":`, `会員名=`), in a regex of their own:
 * one more alternative in `cues` pushes that regex past what V8 compiles fast and doubles its cost.
 */
const recordKeyCue = /(?:vorname|nachname|imi[eę]|nazwisko|given[ _]?names|titulaire|shimei|furigana|氏名|会員名|名前)["']?[ \t]*[:=][ \t]*["']?/gi;
/** An XML element holding a name (`<firstName>Mehdi</firstName>`, `<prenom>Camille</prenom>`), read as a field. */
const xmlCue = `<(?:(?:first|last|given|family|full|sur|fore|middle|display)?[-_]?name|pr[ée]nom|nom|nombre|apellidos?|vorname|nachname|naam|voornaam|achternaam|nome|cognome|imi[eę]|nazwisko|f[öo]rnamn|efternamn|fornavn|etternavn|efternavn)>`;
/** A field name at a line start and a value after a run of spaces (aligned tables: "Cardholder       ROBERTO SILVA"). */
const alignedFieldCue = `(?<=^|\\n)[ \\t]*(?:card ?holder|name|full name|customer|patient|employee|member|account holder|applicant|tenant|guest|passenger)[ \\t]{2,}`;
/** A role or relation word right before a name ("customer Amanda Reyes", "my wife Ingrid"). */
const roleCue = cue(
  `patient|patientin|paciente|paziente|customer|client|cliente|klant|kunde|kundin|caller|driver|applicant|candidate|subscriber|tenant|employee|mitarbeiterin|mitarbeiter|nurse|contractor|cardholder|colleague|coworker|co-worker|manager|boss|supervisor|intern|babysitter|nanny|neighbou?r|landlady|landlord|wife|husband|partner|son|daughter|mother|father|mom|mum|dad|brother|sister|uncle|aunt|auntie|grandmother|grandfather|grandma|grandpa|cousin|nephew|niece|friend|fianc[ée]e?|girlfriend|boyfriend|mentor|recruiter|hire|user|guest|attention|attn|agent|physio|physiotherapist|doctor|dentist|therapist|counsel?lor|coach|trainer|tutor|teacher|midwife|tochter|sohn|figlia|figlio|hija|hijo|fille|fils|dochter|zoon|filha|filho|casero|casera`,
  `[ \\t]*[,:]?[ \\t]+`,
);
/** Lower-case titles and kin words before a lower-case given name ("mrs siobhan o'leary", "aunty ngozi"). */
const lowerTitleCue = /(?<![\p{L}\p{N}_'’])(?:(?<title>mrs|mr|ms|miss)\.?|(?<kin>aunty|auntie|aunt|uncle|granny|grandma|grandpa|nan|nana|nanna|cousin))[ \u00a0]+(?=\p{Ll})/gu;
/**
 * Titles: case-sensitive, so "m" in "I'm" or "dr" in "Lakeshore Dr" do not count. Titles written
 * in lower case mid-sentence in their languages count before a capitalised name ("il signor
 * Lombardi", "la dottoressa Marchetti", "o senhor Barbosa", "el señor Rubio Vidal", "pan Szymański";
 * "Herrn Yilmaz"), as do a lower-case "dr", "mr", "mrs" ("my gp is dr Farrow").
 */
const titleCue =
  /(?<![\p{L}\p{N}_'’])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Herr|Herrn|Frau|herr|herrn|frau|Sr|Sra|Srta|Señor|Señora|Señorita|Doña|M\.|Mme|Mlle|Monsieur|Madame|Sig|Sig\.ra|Signor|Signora|Dott|Dott\.ssa|Dottor|Dottore|Dottoressa|Dhr|Mevr|Mevrouw|mevrouw|Meneer|Dña|Don|Doña|Senhor|Senhora|dr|mr|mrs|signor|signora|signorina|dottor|dottore|dottoressa|señor|señora|señorita|senhor|senhora|doña|don|pan|pani)\.?[ \u00a0]+(?=\p{Lu})/gu;
/** Polish letters: "pan"/"pani" are titles only in Polish text ("pan Szymański", not "a pan Tefal"). */
const polishLetters = /[ąćęłńśźżĄĆĘŁŃŚŹŻ]/u;
/** Greetings: the name must end the salutation (comma, colon, line end). */
const greetingCue = cue(`good (?:morning|afternoon|evening)|hiya|howdy|greetings|dear|hi|hello|hey|hej|hei|moin|servus|hoi|cześć|czesc|selam|merhaba|hallo|hola|bonjour|salut|ciao|beste|lieve|olá|prezad[oa]|car[oa]|estimad[oa]|querid[oa]|gentile|sehr geehrter?|liebe|lieber|cher|chère`);
/** Closings and signature dashes: the name stands alone on its line. */
const closingCue = cue(
  `(?:best |kind |warm |many )?regards|best wishes|best|sincerely|yours (?:sincerely|truly)|thanks|thank you|many thanks|cheers|love|mit freundlichen grüßen|(?:freundliche|viele|liebe|beste) grüße|gruß|(?:bien )?cordialement|bien à vous|amicalement|atentamente|(?:un |cordiales )?saludos|cordiali saluti|distinti saluti|saluti|met vriendelijke groet|vriendelijke groet|groeten|atenciosamente|(?:com os melhores )?cumprimentos|abraços|bises|bisous|groet|hälsningar|mvh|pozdrawiam|pozdrowienia|saygılarımla|saygılar|xx+|[—–]|--`,
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
  `(?<![\\p{L}\\p{N}_'’])(?:(?<intro>${introCue})|(?<field>${fieldCue}|${xmlCue}|${alignedFieldCue})|(?<closing>${closingCue})|(?<weak>${weakIntroCue})|(?<role>${roleCue})|(?<greeting>${greetingCue})|(?<verb>${verbCue}))`,
  'giu',
);
/** A given name opening a line or a quotation and followed by a comma: an address ("Kevin, you still owe me…"). */
const vocative = /(?:^|["“\n])[ \t]*(?=\p{Lu})/gu;
/** A name right before an email address in angle brackets: `Andrea Rossi <andrea@…>`. */
const beforeEmail = /((?:\p{Lu}[\p{Ll}'’-]+[ \u00a0]){0,3}\p{Lu}[\p{Ll}'’-]+)[ \u00a0]*<[^\s<>@]{1,64}@/gu;
/** A capitalised word that may start a name (the dictionary path). */
const capitalWord = /(?<![\p{L}\p{N}_$.@#/\\-]|\p{L}['’])\p{Lu}\p{Ll}+(?![\p{L}\p{N}_])/gu;

// General-knowledge questions ("Who was Marie Curie?") name public figures: no dictionary-only names there.
// The question may open with its punctuation ("¿Quién fue …?", "¡Cuéntame …!", a quote or a bullet), and
// its first word ends where letters do, accented ones too ("¿Qué …", "¿Cuál …": guard8 audit, F10).
const knowledgeFrame =
  /^\s*[¿¡"'“‘«„*•-]*\s*(?:in what|in which|in the (?:novel|book|film|movie|story|play|series|show|musical)|act as|pretend (?:to be|you are)|role-?play as|write (?:a|an) (?:short )?(?:tribute|poem|biography|eulogy)|summari[sz]e the (?:plot|story|book|novel|film)|who|what|when|where|why|how|which|is|was|did|does|do|explain|describe|summari[sz]e|compare|tell me about|list|recommend|give me|write (?:a|an) (?:short )?(?:essay|summary|paragraph|article)|wer|was|wie|warum|erkläre|erklär|quién|qué|cuál|cómo|explícame|explica|qui|que|quel|quelle|explique|chi|che|qual|spiegami|spiega|wat|wie|waarom|hoe|quem|o que|qual|dónde|cuándo|por qué|où|quand|pourquoi|dove|quando|perché|wo|wann|onde|por que|waar|wanneer)(?![\p{L}\p{N}])/iu;
const personalContext = /\b(?:my|our|mine|I['’]m|I am|mein|meine|mi|mis|mon|ma|mes|mio|mia|mijn|meu|minha)\b/iu;
/** Words of a card printed after its holder's name. */
const cardWords = new Set(['visa', 'mastercard', 'amex', 'maestro', 'discover', 'debit', 'credit', 'card', 'platinum', 'gold', 'exp', 'valid', 'ending']);

/** The name without the card words that end it ("DAVID KOWALCZYK VISA" → "DAVID KOWALCZYK"). */
function withoutCardWords(text: string, name: NameSpan | undefined): NameSpan | undefined {
  if (name === undefined) return undefined;
  let { end, words } = name;
  while (words.length > 1 && cardWords.has(words.at(-1)!)) {
    words = words.slice(0, -1);
    end = text.lastIndexOf(' ', end - 1);
    while (text[end - 1] === ' ') end--;
  }
  return cardWords.has(words[0]) ? undefined : { ...name, end, words };
}

/** Person names (label PERSON): after cue phrases in EN/DE/ES/FR/IT/NL/PT, or a known given name plus a surname. */
export function personNameDetector(): Detector {
  const names = givenNames();
  return {
    entity,
    label,
    specificity,
    find(text: string, found: Detection[], from = 0) {
      const push = (start: number, end: number): void => void found.push({ entity, label, start, end, specificity });
      // A name that more of a stream's text may still make one (whole-text.ts); a whole text has its answer.
      const streaming = wantsProvisional();
      const pushProvisional = (start: number, end: number): void => void (streaming && found.push({ entity, label, start, end, specificity, provisional: true }));
      const known = (word: string): boolean => names.has(word);
      // The text's start asks a general-knowledge question and no one has spoken of themselves yet:
      // the names a frame leaves out are no one's, but in a stream a later "my" may still make them someone's.
      const frame = knowledgeFrame.test(text.slice(0, 80)) && !wholeTextHas(text, personalContext);
      const framed = frame && streaming;
      const pushFramed = frame ? pushProvisional : push;

      // (a) Cues.
      cues.lastIndex = from;
      for (let match = cues.exec(text); match !== null; match = cues.exec(text)) {
        const at = match.index + match[0].length;
        const kind = match.groups!;
        if (kind.intro !== undefined) {
          const name = readName(text, at, { lower: true, caps: true });
          if (name) push(name.start, name.end);
        } else if (kind.field !== undefined) {
          // Lower-case values only under a name field, not in code (`self.given = given`).
          const nameField = /name/i.test(match[0]) && text[match.index - 1] !== '.';
          fieldNames(text, at, push, nameField);
        } else if (kind.closing !== undefined) {
          // A signature dash opens a line or follows a sentence ("— Anders"), not "Part D – Silver".
          if (/^[—–-]/u.test(match[0]) && !/(?:^|[\n.!?)][ \t]*)$/u.test(text.slice(Math.max(0, match.index - 3), match.index))) continue;
          const name = readName(text, at, { initials: true });
          // The last word of the text after a closing is its signature, known name or not ("Hälsningar Linnea").
          const signs = name !== undefined && (/^\s*$/u.test(text.slice(name.end)) || known(name.words[0]) || name.words.length >= 2);
          if (name && signs && /^[ \t]*(?:[,\n]|$)/u.test(text.slice(name.end, name.end + 2))) push(name.start, name.end);
        } else if (kind.weak !== undefined) {
          const name = readName(text, at, { lower: true });
          if (name && known(name.words[0]) && !(name.words.length === 1 && ambiguousGivenNames.has(name.words[0]) && /^[ \u00a0]?\p{Ll}/u.test(text.slice(name.end, name.end + 2)))) push(name.start, name.end);
        } else if (kind.role !== undefined) {
          // A card's holder is printed in capitals and copied so ("Cardholder DAVID KOWALCZYK"),
          // maybe with the card's network after it ("… KOWALCZYK VISA ending 1486").
          const holder = /holder/i.test(kind.role);
          const name = holder ? withoutCardWords(text, readName(text, at, { initials: true, caps: true })) : readName(text, at, { initials: true });
          const roleLowerCase = /^\p{Ll}/u.test(text[match.index] ?? '');
          if (name && (known(name.words[0]) || (name.words.length >= 2 && roleLowerCase)) && !nonPersonFollowers.has(nextWord(text, name.end))) push(name.start, name.end);
        } else if (kind.greeting !== undefined) {
          greetingNames(text, at, push);
        } else if (!frame || framed) {
          // A verb of address: a single known given name ("ask Priyanka"); outside knowledge questions.
          const name = readName(text, at);
          if (
            name &&
            name.words.length === 1 &&
            known(name.words[0]) &&
            !ambiguousGivenNames.has(name.words[0]) &&
            !voiceAssistants.has(name.words[0]) &&
            !/^['’]s\b/u.test(text.slice(name.end, name.end + 3)) &&
            !nonPersonFollowers.has(nextWord(text, name.end))
          )
            pushFramed(name.start, name.end);
        }
      }
      lowerTitleCue.lastIndex = from;
      for (let match = lowerTitleCue.exec(text); match !== null; match = lowerTitleCue.exec(text)) {
        const at = match.index + match[0].length;
        const first = matchAt(lowerNameToken, text, at);
        if (first === undefined || !known(first) || ambiguousGivenNames.has(first)) continue;
        let end = at + first.length;
        // After mr/mrs the surname follows ("mrs siobhan o'leary"); a kin word takes the given name alone.
        if (match.groups!.title !== undefined && text[end] === ' ') {
          const surname = matchAt(lowerNameToken, text, end + 1);
          if (surname !== undefined && !notNameWords.has(surname)) end += 1 + surname.length;
        }
        push(at, end);
      }
      titleCue.lastIndex = from;
      // No titled names in a general-knowledge question ("Mr Darcy" in a plot summary).
      if (frame && !framed) titleCue.lastIndex = text.length;
      for (let match = titleCue.exec(text); match !== null; match = titleCue.exec(text)) {
        const name = readName(text, match.index + match[0].length, { initials: true, caps: true });
        if (!name || nonPersonFollowers.has(nextWord(text, name.end))) continue;
        if (titleBrands.has(`${match[0].replace(/[.\s\u00a0]/gu, '').toLowerCase()} ${name.words[0]}`)) continue;
        // "Don" is a title before a name only when the name is a known given name ("Don Ramón" is, "Don Quixote" need not be)
        // or, written in lower case as a title is mid-sentence, a given name and a surname ("don Ramón Villalba").
        if (/^don[ .\u00a0]/iu.test(match[0]) && !known(name.words[0]) && !(match[0].startsWith('don') && name.words.length >= 2)) continue;
        // "pan"/"pani" is a title in Polish text: a stream that has seen no Polish letter yet holds the name.
        if (/^pani?[ \u00a0]/iu.test(match[0]) && !wholeTextHas(text, polishLetters)) {
          pushProvisional(match.index, name.end);
          continue;
        }
        pushFramed(match.index, name.end);
      }
      if (!frame || framed) {
        listLineNames(text, pushFramed, from);
        surnameFirstNames(text, pushFramed, from);
        signatureLines(text, pushFramed);
      }
      beforeEmail.lastIndex = text.includes('<', from) ? from : text.length;
      for (let match = beforeEmail.exec(text); match !== null; match = beforeEmail.exec(text)) {
        const name = readName(text, match.index, { initials: true });
        if (name) push(name.start, name.end);
      }

      tableNames(text, push, from);
      chatSpeakers(text, push, from, streaming ? pushProvisional : undefined);
      honorificSuffixNames(text, push, from);
      commandNames(text, push);
      {
        recordKeyCue.lastIndex = from;
        for (let match = recordKeyCue.exec(text); match !== null; match = recordKeyCue.exec(text)) {
          // The key must start a word: "nachname", not "Kundennachname" nor "unachname".
          if (!/[\p{L}\p{N}_]/u.test(text[match.index - 1] ?? ' ')) fieldNames(text, match.index + match[0].length, push, true);
        }
      }

      // (b) The dictionary: a given name and a surname, outside general-knowledge questions and headings.
      if (frame && !framed) return;
      vocative.lastIndex = from;
      for (let match = vocative.exec(text); match !== null; match = vocative.exec(text)) {
        if (match[0].length === 0) vocative.lastIndex = indexAfter(text, match.index);
        const name = readName(text, match.index + match[0].length);
        if (name && name.words.length === 1 && known(name.words[0]) && !ambiguousGivenNames.has(name.words[0]) && text[name.end] === ',') pushFramed(name.start, name.end);
      }
      let lineEnd = -1;
      let heading = false;
      capitalWord.lastIndex = from;
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
        // A line a stream has not finished may still turn out not to be a heading (a digit or more
        // lower-case words to come): its names are provisional.
        if (heading && (lineEnd < text.length || !streaming)) continue;
        const name = readName(text, start, { initials: true });
        if (!name || name.words.length < 2) continue;
        capitalWord.lastIndex = name.end;
        if (nonPersonFollowers.has(nextWord(text, name.end))) continue;
        if (impersonationBefore.test(text.slice(Math.max(0, start - 24), start))) continue;
        // "Rio de Janeiro", "São Paulo": a place word with a particle or a saint's name, not a person.
        if (placeFirstWords.has(first) && /^[ \u00a0](?:de|do|da|dos|das|del|di|de la)[ \u00a0]/u.test(text.slice(start + first.length, start + first.length + 8))) continue;
        if (articleBefore.test(text.slice(Math.max(0, start - 6), start))) continue;
        if (ambiguousGivenNames.has(first) && atSentenceStart(text, start)) continue;
        (heading ? pushProvisional : pushFramed)(name.start, name.end);
      }
    },
  };
}

