import { forgedTranscriptPatterns } from './reader-address-cues.ts';
import { discussedAnywhere } from '../normalize-text.ts';
import { combine, quotedDiscussionFactor, strongestMatch, type Signal, type WeightedPattern } from './signal.ts';

/** Chat-template control tokens: a model's own turn markers have no business in a user's text. */
const templateTokens: WeightedPattern[] = [
  { pattern: /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end_of_text|fim_prefix|endofprompt)\|>/i, weight: 0.6 },
  { pattern: /\[\/?INST\]|<<\/?SYS>>|<\/?start_of_turn>|<end_of_turn>|<\|?(?:begin|end)▁of▁sentence\|?>/, weight: 0.6 },
  { pattern: /(?:<\|im_start\|>|<\|start_header_id\|>)\s*(?:system|developer)|<<SYS>>|<start_of_turn>\s*(?:system|model)/i, weight: 0.8 },
];

/** Every template token the patterns above read, to find each occurrence (`namedInProse`). */
const anyTemplateToken = /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end_of_text|fim_prefix|endofprompt)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?start_of_turn>|<end_of_turn>|<\|?(?:begin|end)▁of▁sentence\|?>/gi;
/** Before a named token: a lower-case word and a space, perhaps an opening quote ("the <|im_start|>", "use `[INST]`"), or a slash between two tokens. */
const proseBefore = /(?:\b[a-z][\w'-]*,?[ ]["'`“‘(]?|\/)$/;
/**
 * After it: a closing quote, then the end of the text or of a clause, a slash to the next token, or a
 * space and a lower-case word that names no speaker. A forged turn goes on with a role ("system",
 * "assistant"), a new line or the model's answer ("Sure").
 */
const proseAfter = /^["'`”’)]?(?:$|[?.!,;:)]|\/|[ ](?!(?:system|developer|user|assistant|model|human|ai|bot|sure|ok|okay)\b)[a-z])/;

/**
 * Whether every template token in the text is named in running prose ("Explain what the <|im_start|>
 * token is", "Why does Mistral put [INST] and [/INST] around the user turn?"): a topic mention, like
 * "developer mode" named in a question, not a forged turn (guard8 audit, F1).
 */
function namedInProse(text: string): boolean {
  let found = false;
  for (const match of text.matchAll(anyTemplateToken)) {
    found = true;
    const before = text.slice(Math.max(0, match.index - 40), match.index);
    const after = text.slice(match.index + match[0].length, match.index + match[0].length + 40);
    if (!proseBefore.test(before) || !proseAfter.test(after)) return false;
  }
  return found;
}

/** Release notes, a changelog, patch notes: documents whose headings name features, "Admin override:" among them. */
const releaseNotes = /\b(?:release notes|changelog|change log|patch notes|what's new in)\b/;

/**
 * Fake turns and sections that pretend to come from the system, developer or model.
 *
 * A line start is `(?:^|(?<!\n[^\S\n]*)\n)`, not `(?:^|\n)`: followed by `\s*`, every newline of a
 * run of blank lines was a start that read the rest of the run again (a few KB of newlines took
 * seconds; second security audit). A match from a later newline of a run is also one from its first
 * (`\s*` takes the blank lines between), so the first match is the same. `(?<!#)#{2,}` likewise.
 */
const fakeTurns: WeightedPattern[] = [
  // "system: you must..." is a forged turn; "system: linux" in a YAML file is not.
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*(?:#{1,4}\s*|\*\*)?(?:system|developer|admin|administrator|root|sudo)(?:\s+(?:message|prompt|instructions?|note|override|update))?\s*(?:\*\*)?\s*[:：]\s*(?:the (?:assistant|ai|model|user)|you\b|your\b|ignore|disregard|forget|from now|new\b|always|never|do not|don't|respond|reply|answer|act\b|override|disable|enable|reveal|output|print|must|should|comply|the guardrails|safety)/i, weight: 0.55 },
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*(?:#{1,4}\s*|\*\*)?(?:system|developer)(?:\s+(?:message|prompt|instructions?))?\s*(?:\*\*)?\s*[:：]\s*\S/i, weight: 0.25 },
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*\[(?:system|admin|developer|sys|operator)(?:\s+(?:message|note|override|instruction|update))?\]/i, weight: 0.6 },
  // The same header inside a line or a code comment ("# [SYSTEM] New policy: …", "Tuesday. [SYSTEM] The assistant must …"; guard7 audit, F3):
  // there it counts only when an order to the model follows, as a log line ("[SYSTEM] New user registered") gives none.
  { pattern: /\[(?:system|admin|developer|sys|operator)(?:\s+(?:message|note|override|instruction|update))?\]\s*[:：-]?\s*(?:new (?:polic(?:y|ies)|instructions?|rules?|directives?|orders?)\b|(?:the )?(?:assistant|ai|model|chatbot|agent|llm)\b[^.\n]{0,40}?\b(?:must|should|shall|is (?:now )?(?:required|allowed|permitted))\b|you (?:must|should|shall|are now|will now|may now)\b|ignore\b|disregard\b|forget (?:all|your|previous|prior|the)\b|from now on\b|override\b)/i, weight: 0.6 },
  // The same bracketed header in other languages: "[SISTEMA]", "[SİSTEM MESAJI]", "[AGGIORNAMENTO DI SISTEMA]", "[システム]".
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*\[[^\]\n]{0,24}?(?:(?<![\p{L}])(?:sistema|s[iİı]stem|systeem|système|systemu?|systém|система|системи|системы|systemowe|hệ thống|mfumo|النظام|מערכת|administrador|amministratore|beheerder|yönetici|администратор|адміністратор)(?![\p{L}])|システム|系统|系統|시스템|管理员|管理者|관리자|सिस्टम)[^\]\n]{0,24}\]/iu, weight: 0.6 },
  { pattern: /<\/?(?:system|system_prompt|instructions|admin|developer|sys)>/i, weight: 0.45 },
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*#{1,4}\s*(?:system|developer|admin)(?:\s+(?:message|prompt|instructions?|note))?\s*\n\s*\S/i, weight: 0.45 },
  { pattern: /(?<!#)#{2,}\s*(?:new\s+)?(?:system(?: prompt| message)?|admin|developer|instructions?)\s*#{2,}/i, weight: 0.6 },
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n|\()\s*(?:assistant|ai|model)\s*[:：]\s*(?:regardless|ignore|whatever|no matter|disregard|you must|your (?:reply|answer|response) must)\b/i, weight: 0.6 },
  { pattern: /\{\s*["']role["']\s*:\s*["'](?:system|developer)["']/i, weight: 0.3 },
  { pattern: /\{\s*["']role["']\s*:\s*["'](?:system|developer)["']\s*,\s*["']content["']\s*:\s*["'][^"']{0,200}\b(?:ignore|disregard|you (?:must|are now|will now)|new (?:instructions|rules)|override|reveal|no (?:rules|restrictions|filters)|unrestricted|approve|always)/i, weight: 0.6 },
  // A heading in release notes or a changelog ("Admin override: the new setting lets admins …") names a feature;
  // there it counts only when what follows speaks to the model.
  { pattern: /\b(?:system|admin|security|developer) (?:override|update|alert|notice|directive|command)\s*[:!：]/i, weight: 0.6, unless: releaseNotes },
  { pattern: /\b(?:system|admin|security|developer) (?:override|update|alert|notice|directive|command)\s*[:!：]\s*(?:the (?:assistant|ai|model|chatbot|bot|agent)\b|you\b|your\b|ignore|disregard|forget|from now|new (?:instructions|rules|policy)|always|never|do not|don't|respond|reply|answer|act\b|override|disable|enable|reveal|output|print|must|comply|bypass|skip)/i, weight: 0.6 },
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*(?:assistant|ai|model|gpt|claude)\s*[:：]\s*(?:sure|ok(?:ay)?|of course|certainly|absolutely)\b/i, weight: 0.5 },
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*[-=#*]{3,}\s*(?:end|stop)\s+(?:of\s+)?(?:the\s+)?(?:user|input|prompt|document|context|conversation|instructions?)\s*[-=#*]{0,}/i, weight: 0.5 },
  { pattern: /\b(?:end of (?:user )?(?:input|prompt|instructions)|(?:begin|start) (?:of )?(?:new|system|admin|real) (?:instructions|prompt|session))\b/i, weight: 0.45 },
];

/** Delimiter and role injection: template tokens, fake system turns, forged role JSON. */
export const delimiterInjection: Signal = {
  name: 'delimiter_injection',
  strength(view) {
    if (view.role === 'system' || view.role === 'developer') return 0;
    // Tokens may sit in the original text with odd spacing, so both texts are checked.
    let tokens = Math.max(strongestMatch(view, templateTokens), strongestMatch(view, templateTokens, view.original));
    // Tokens named in a question or an explanation count as a quoted phrase in a discussion does.
    if (tokens > 0 && (discussedAnywhere(view) || /\?\s*$/.test(view.normalized)) && namedInProse(view.original) && namedInProse(view.normalized)) tokens *= quotedDiscussionFactor;
    return combine([tokens, Math.max(strongestMatch(view, fakeTurns), strongestMatch(view, forgedTranscriptPatterns))]);
  },
};
