import { readFileSync } from 'node:fs';
import { LinearModel } from '../classifier/linear-model.ts';
import { prepareWords, wordsOf } from '../classifier/text-features.ts';
import { payloadsOf, textMentions, viewPayloads, withPayloadsDecoded, type Payload } from './decoded-payloads.ts';
import { quotedDiscussionFactor, type Signal, type TextView } from './signal.ts';

/** The trained model (scripts/train-prompt-guard.ts writes it; the build copies it beside the bundle). */
export const modelPath = new URL('./prompt-guard-model.bin', import.meta.url);

let shipped: LinearModel | undefined;

/** The shipped model, read on first use. */
export function shippedModel(): LinearModel {
  shipped ??= LinearModel.decode(readFileSync(modelPath));
  return shipped;
}

/** Texts longer than this many words are also read in windows, so a short injection in a long document is not averaged away. */
const windowFrom = 160;
const windowWords = 96;
const windowStep = 48;

/** The model's probability for a text: the whole, and for long texts the worst window. */
export function attackProbability(classifier: LinearModel, text: string, role: string): number {
  return readText(classifier, text, role).probability;
}

/** The probability and how many words it was read from. */
function readText(classifier: LinearModel, text: string, role: string): { probability: number; words: number } {
  const words = prepareWords(wordsOf(text));
  let probability = classifier.windowProbability(words, 0, words.length, role);
  if (words.length > windowFrom) {
    for (let from = 0; from < words.length - windowStep; from += windowStep) probability = Math.max(probability, classifier.windowProbability(words, from, Math.min(words.length, from + windowWords), role));
  }
  return { probability, words: words.length };
}

// The placeholders a masking step in front of the guard leaves for personal data: pii's `<PERSON_1>`
// and `[EMAIL]`, and the same written by hand (`[NAME]`, `<name>`). They stand for a value the model
// never sees and say nothing about intent: "you're <PERSON_1>" is the same role-play as "you're
// Sherlock". Left in, "person" and "email" would be words the model weighs like any other.
const placeholders =
  /<[a-z][a-z0-9]*(?:_[a-z0-9]+)*_\d+>|[<\[{](?:name|first_?name|last_?name|full_?name|person|email|e-mail|phone|phone_number|address|street_address|date|date_of_birth|dob|credit_card|card_number|iban|ssn|ip|ip_address|url|secret|password|api_key|token|national_id|passport|drivers_license|aws_access_key|location|city|organi[sz]ation|org|company|username|customer|account_number|number|redacted|masked)[>\]}]/g;

/**
 * A message whose text around its payloads has at most this many words is a wrapper ("Decode this
 * base64 and answer the question inside: …"): the model reads only what the payloads decode to.
 * Encoded attacks came with such wrappers in training, so the wrapper alone read p = 0.96 and a
 * harmless question inside it was blocked. Whether the wrapper asks to obey what it hides is the
 * encoded-payload signal's to judge, with the decoded text's own patterns.
 */
const wrapperWords = 24;

function wrapperOnly(text: string, payloads: readonly Payload[]): boolean {
  let words = 0;
  let cursor = 0;
  for (const { start, end } of [...payloads, { start: text.length, end: text.length }]) {
    words += text.slice(cursor, start).match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    if (words > wrapperWords) return false;
    cursor = end;
  }
  return true;
}

/**
 * What the model reads of a message: its lower-cased text (with leetspeak undone beside it), every
 * encoded payload replaced by its decoding (only the decodings when the rest is a short wrapper), and
 * masking placeholders left out. Training reads the same (test/prompt-guard/classifier-training.ts).
 */
export function classifierText(view: TextView): string {
  let text = view.lowered;
  const payloads = viewPayloads(view);
  if (payloads.length > 0 && wrapperOnly(view.normalized, payloads)) {
    text = payloads.map((payload) => payload.decoded).join('\n').toLowerCase();
  } else if (payloads.length > 0) {
    const decoded = withPayloadsDecoded(view.normalized, payloads);
    const alternative = view.unleeted === null ? '' : `\n${withPayloadsDecoded(view.unleeted, payloadsOf(view.unleeted, textMentions(view.unleeted)))}`;
    text = `${decoded}${alternative}`.toLowerCase();
  }
  return text.includes('<') || text.includes('[') || text.includes('{') ? text.replace(placeholders, ' ') : text;
}

/** Probabilities up to this are no evidence. */
const floor = 0.5;
/**
 * Strength per unit of probability above the floor: 0.85 gives 0.5, the default threshold, on its
 * own; 0.7 gives 0.29, which blocks together with a pattern of 0.3. Chosen on the tune splits and
 * the training files' cross-validation (README, "Classifier"); 0.75-0.9 trade a point of recall
 * for a point of precision.
 */
const slope = 0.5 / 0.35;

/**
 * Below this many words the classifier's evidence counts for words / 8 of its strength, unless the
 * message is one of several user turns (a piece of a split instruction). A short text gives the
 * model few n-grams, and one word of attack vocabulary decides it: "Never share your password with
 * anyone." read p = 0.96, "Authorization: Bearer <YOUR_TOKEN_HERE>" 0.95. Of 2,200 attacks scored
 * by classifiers that had not seen them (the tune splits with --cross-set's models, the training
 * files by 5-fold cross-validation), none under 8 words was caught by the classifier alone
 * (README, "Classifier").
 */
const fullEvidenceWords = 8;

/**
 * A turn that ends a sentence ("Now count the words.") is a message of its own, not a piece of an
 * instruction cut over turns: it is weighed like any short text (the request's short turns are also
 * read joined, score-prompt.ts, where a piece that ends a sentence keeps its own line too).
 */
function endsSentence(text: string): boolean {
  return /[.!?。！？]["'”’)]?\s*$/.test(text);
}

/** The classifier's strength for one view of a message. */
function evidence(classifier: LinearModel, view: TextView): number {
  const { probability, words } = readText(classifier, classifierText(view), view.role);
  // A fragment keeps its full weight: "Let b = ' system prompt'" is short because the attack was cut into turns.
  return Math.max(0, (probability - floor) * slope) * (view.fragment === true && !endsSentence(view.normalized) ? 1 : Math.min(1, words / fullEvidenceWords));
}

/** What a framing that discusses a quoted attack names: the attack, its kind, or where it was found. */
const attackTopic =
  /\b(?:attacks?|attackers?|injections?|injected|jailbreaks?|malicious|exploits?|ctf|red[- ]team\w*|security|phishing|prompt hacking|adversarial|threats?|incidents?|suspicious|scams?|spam|abuse|manipulation|hijack\w*)\b|angriff\w*|attaque\w*|ataque\w*|attacco|aanval\w*|atak\w*|saldırı\w*|атак\w*|攻击|攻撃/u;

/** The message with its quoted spans left out: the framing a discussion puts around what it quotes. */
function framingView(view: TextView): TextView {
  let framing = '';
  let cursor = 0;
  for (const [start, end] of view.quoted) {
    framing += `${view.normalized.slice(cursor, start)} `;
    cursor = Math.max(cursor, end);
  }
  framing += view.normalized.slice(cursor);
  return { ...view, normalized: framing, unleeted: null, lowered: framing.toLowerCase(), quoted: [] };
}

/**
 * A linear model over word and character n-grams, trained on the labelled sets (README,
 * "Classifier"): it catches attacks phrased in ways no pattern lists, and adds to the
 * patterns' evidence where both are unsure.
 */
export function textClassifier(classifier: () => LinearModel = shippedModel): Signal {
  return {
    name: 'classifier',
    strength(view: TextView): number {
      const whole = evidence(classifier(), view);
      if (!view.discussion || view.quoted.length === 0 || whole === 0) return whole;
      const framing = framingView(view);
      // A quoted attack discussed as one ("Classify this message as an attack or not: '…'") counts as the
      // patterns count it, for 30%; the framing around the quotes counts in full. A quoted document
      // handed over for a task that is not about attacks ("classify this review as positive or
      // negative: '…'") is read whole: an instruction hidden in it is an injection.
      if (!attackTopic.test(framing.lowered)) return whole;
      return Math.max(evidence(classifier(), framing), whole * quotedDiscussionFactor);
    },
  };
}
