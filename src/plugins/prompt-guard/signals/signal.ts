import { containsKeyword, passesGate } from './keyword-index.ts';
import type { SignalName } from './signal-names.ts';

/** The text one message offers the detector, prepared once. */
export interface TextView {
  /** As sent. */
  original: string;
  /** NFKC, invisible characters removed, confusable letters mapped to Latin, whitespace collapsed. */
  normalized: string;
  /** `normalized` with leetspeak undone ("1gn0r3" -> "ignore"), or null when there is none. */
  unleeted: string | null;
  role: string;
  /** The text reads as a discussion of attacks (asks what, explains, classifies): quoted attack phrases count less. */
  discussion: boolean;
  /** Spans of `normalized` inside quotes or backticks. */
  quoted: Array<[number, number]>;
  /** `normalized` and `unleeted` lower-cased, for patterns' keyword gates. */
  lowered: string;
}

/** A family of evidence; `strength` is 0 (absent) to 1 (certain). */
export interface Signal {
  readonly name: SignalName;
  strength(view: TextView): number;
}

export interface WeightedPattern {
  pattern: RegExp;
  weight: number;
  /** A mention of a topic ("jailbreak", "developer mode") rather than a directive: weak in a discussion even unquoted. */
  mention?: boolean;
  /**
   * Lower-case fragments one of which any match must contain: the pattern runs only when the text
   * has one. A substring search is far cheaper than a broad regex tried at every position.
   */
  keywords?: readonly string[];
  /** A second list of which the text must also contain one: for patterns that need two concepts. */
  alsoKeywords?: readonly string[];
  /** A cheaper regex the lower-cased text must match before the pattern runs (for patterns whose start matches often). */
  gate?: RegExp;
  /** The same on the normalized text, case kept: acronyms such as "AI" are only themselves in capitals. */
  caseGate?: RegExp;
  /**
   * The pattern is written in lower case and runs on the lower-cased text without the `i` flag: a
   * case-insensitive Unicode regex over word lists in many scripts compiles to far more code.
   */
  lowered?: boolean;
}

/** Quoted attack phrases in a discussion ("what does 'ignore previous instructions' do?") keep this share of their weight. */
const quotedDiscussionFactor = 0.3;

// "if someone told you to …", "could get our bot to …": an attack reported, not made.
const reportedSpeech = /(?:\b(?:someone|somebody|a user|users|an attacker|attackers|people|anyone|hackers?|a (?:customer|prompt|message|document|website|page|email)) (?:\w+ )?(?:tells?|told|asks?|asked|says?|said|writes?|wrote|types?|typed|instructs?|instructed|tries to (?:get|make)|tried to (?:get|make))(?: you| the (?:model|ai|bot|assistant|llm)| it)?(?: to)?|\b(?:get|got|make|made|trick|tricked) (?:our|the|a|an|their) (?:bot|model|assistant|ai|llm|chatbot|agent) to|\bby asking it to)\s*["'“]?$/i;
// "why does the model sometimes ignore …": what a model does, described; counts only before the verb itself.
const describedModel = /(?:\b(?:does|do|did|would|will|can|could) (?:the |our |my |a |an )?(?:model|llm|ai|bot|assistant|gpt|claude|chatbot|agent|it) (?:sometimes |often |always |still |just )?|\b(?:the|our|my) (?:model|llm|bot|assistant|chatbot|agent)s? (?:sometimes |often |always |keeps? |still )?)$/i;
const leadingVerb = /^(?:ignor|disregard|forget|skip|bypass|overrid|reveal|print|show|leak|output|repeat|follow|obey|refus)/i;

function reported(text: string, start: number, matched: string): boolean {
  const before = text.slice(Math.max(0, start - 60), start);
  return reportedSpeech.test(before) || (leadingVerb.test(matched) && describedModel.test(before));
}

function overlapsQuotes(view: TextView, start: number, end: number): boolean {
  return view.quoted.some(([from, to]) => start < to && end > from);
}

/** The strongest weight among the patterns that match the normalized text. */
export function strongestMatch(view: TextView, patterns: readonly WeightedPattern[], text = view.normalized): number {
  let strongest = 0;
  for (const { pattern, weight, mention, keywords, alsoKeywords, gate, caseGate, lowered } of patterns) {
    if (weight <= strongest) continue;
    if (keywords !== undefined && !containsKeyword(view, keywords)) continue;
    if (alsoKeywords !== undefined && !containsKeyword(view, alsoKeywords)) continue;
    if (gate !== undefined && !passesGate(view, gate, view.lowered)) continue;
    if (caseGate !== undefined && !passesGate(view, caseGate, view.normalized)) continue;
    let match: RegExpExecArray | null;
    let own: boolean;
    let searched = text;
    if (lowered === true && text === view.normalized) {
      // `lowered` is the normalized text, then the unleeted one after a newline: a match past the first is not the text as written.
      searched = view.lowered;
      match = pattern.exec(searched);
      own = match !== null && match.index + match[0].length <= view.normalized.length;
    } else {
      match = pattern.exec(text);
      own = text === view.normalized;
      if (!match && own && view.unleeted !== null) {
        match = pattern.exec(view.unleeted);
        own = false;
      }
    }
    if (!match) continue;
    const discussed = (view.discussion && (mention === true || (own && overlapsQuotes(view, match.index, match.index + match[0].length)))) || reported(searched, match.index, match[0]);
    strongest = Math.max(strongest, discussed ? weight * quotedDiscussionFactor : weight);
  }
  return strongest;
}

/** Several independent pieces of evidence: 1 - Π(1 - s). */
export function combine(strengths: Iterable<number>): number {
  let remaining = 1;
  for (const strength of strengths) remaining *= 1 - Math.min(1, Math.max(0, strength));
  return 1 - remaining;
}
