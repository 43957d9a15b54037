import { dataAccessPatterns } from './data-access-cues.ts';
import { exfiltrationConcepts, otherLanguageExfiltration } from './exfiltration-concepts.ts';
import { moreLanguageExfiltration } from './more-language-cues.ts';
import { paraphrasedLeakPatterns } from './paraphrase-cues.ts';
import { rewordedLeakPatterns } from './reworded-attack-cues.ts';
import { guardedSecretPatterns } from './guarded-secret.ts';
import { guardedSecretLanguagePatterns } from './guarded-secret-languages.ts';
import { setupLeakPatterns } from './setup-leak-cues.ts';
import { worldLanguageExfiltration, worldLanguageGivenInstructions } from './world-language-cues.ts';
import { strongestMatch, toolDefinitionRole, type Signal, type WeightedPattern } from './signal.ts';

const askVerbs = String.raw`(?:reveal|show|print|output|display|repeat|recite|tell|give|share|leak|dump|expose|disclose|list|write (?:out|down)|spell out|copy|paste|echo|return|send|provide|quote|reproduce|type out|read (?:out|back)|summari[sz]e|translate|encode)`;
const secretPrompt = String.raw`(?:system[ -]?prompt|system message|system instructions?|initial (?:prompt|instructions?)|original (?:prompt|instructions?)|hidden (?:prompt|instructions?|rules)|secret (?:prompt|instructions?)|developer (?:message|prompt|instructions?)|pre-?prompt|meta[ -]?prompt|instructions you (?:were|have been|'ve been) given|rules you (?:were|have been) given|(?:prompt|instructions) (?:above|before) (?:this|my)|configuration prompt|custom instructions)`;

/**
 * A model told something *in* a system prompt is being configured, not asked for its own: "How do I tell the
 * model in the system prompt to answer in JSON?" (guard7 audit, F2).
 */
const configuredThrough = String.raw`(?!\s+(?:(?:the|my|our|a|an)\s+(?:model|assistant|ai|bot|chatbot|llm|agent|gpt)|it|them)\s+(?:in|into|inside|within|via|through|using)\b)`;
/** "What is the system prompt in a custom GPT and where do I edit it?": the feature asked about, not this model's text. */
const featureAsked = String.raw`(?!\s+(?:in|of|for|inside|on) (?:a|an|any|my|our|each|every)\s)(?![^.?!\n]{0,60}\bwhere (?:do|can|should|would) (?:i|you|we) (?:edit|set|change|find|put|write|configure|add|update|enter)\b)`;

const english: WeightedPattern[] = [
  { pattern: new RegExp(String.raw`\b${askVerbs}\b${configuredThrough}(?:\s+(?:me|us|back))?(?:\s+\w+){0,4}?\s+(?:your|the|its|this (?:bot|assistant|model|ai|chat)'?s?|the assistant's|the model's)\s+(?:(?:full|complete|exact|entire|whole|verbatim|original|current|actual|real)\s+)*${secretPrompt}`, 'i'), weight: 0.85, keywords: ['system', 'initial', 'original', 'hidden', 'secret', 'developer', 'prompt', 'instructions', 'rules you', 'custom'] },
  { pattern: new RegExp(String.raw`\bwhat (?:is|are|was|were|does|did) (?:your (?:(?:exact|full|original|current|actual|hidden|secret)\s+)*${secretPrompt}|the (?:(?:exact|full|original|current|actual|hidden|secret)\s+)*${secretPrompt}${featureAsked})`, 'i'), weight: 0.75 },
  { pattern: /\b(?:repeat|print|output|write|copy|recite|return)\b[^.?!\n]{0,30}\b(?:the )?(?:words|text|everything|all|content|lines?|sentences?) (?:above|before|preceding|prior to)\b/i, weight: 0.8, keywords: ['above', 'before', 'preceding', 'prior to'] },
  { pattern: /\b(?:starting|beginning) (?:with|from) ["'“]?you are\b/i, weight: 0.8 },
  { pattern: /\bwhat (?:were you|have you been|was you) (?:told|instructed|programmed|asked) (?:to do )?(?:before|at the (?:start|beginning)|initially|originally|by (?:your|the) (?:developers?|creators?|operators?))/i, weight: 0.75 },
  { pattern: /\b(?:the )?first (?:message|line|lines|sentence|paragraph|words?) (?:of|in) (?:this|the|our|your) (?:conversation|chat|context|prompt|instructions)\b/i, weight: 0.55 },
  { pattern: /\b(?:verbatim|word for word|word-for-word)\b[^.?!\n]{0,60}\b(?:instructions|prompt|rules|guidelines|above)\b/i, weight: 0.7 },
  { pattern: /\b(?:instructions|prompt|rules|guidelines)\b[^.?!\n]{0,40}\b(?:verbatim|word for word|word-for-word)\b/i, weight: 0.7, keywords: ['verbatim', 'word for word', 'word-for-word'] },
  { pattern: /\b(?:ignore|forget)[^.?!\n]{0,40}\b(?:and|then)\s+(?:print|reveal|show|output|repeat)\b/i, weight: 0.6 },
  { pattern: /\bput (?:your|the) (?:system prompt|instructions|initial prompt) (?:in|into) (?:a )?(?:code block|markdown|json)/i, weight: 0.8 },
  { pattern: /\b(?:first|last|initial|opening) (?:\d+|few|ten|twenty|fifty|hundred) (?:lines|words|characters|tokens|sentences|messages) (?:of|from|in) (?:your|the) (?:context(?: window)?|prompt|instructions|system|conversation|memory)\b/i, weight: 0.8, keywords: ['context', 'prompt', 'instructions', 'system', 'conversation', 'memory'] },
  { pattern: /\b(?:print|output|dump|show|reveal|display|repeat) (?:me )?(?:your|the) (?:entire |full |whole |complete )?(?:context window|context|memory)\b/i, weight: 0.7, keywords: ['context', 'memory'] },
  // "tell me what your instructions are", "what instructions were you given" (not "your instructions for X").
  { pattern: /\b(?:tell|show|give|list)\b[^.?!\n]{0,20}\bwhat (?:your|the) (?:\w+ )?(?:instructions|rules|guidelines|directives|orders) (?:are|were)\b|\bwhat (?:are|were) your (?:\w+ )?(?:instructions|directives|orders)\b(?!\s+(?:for|on|about|to)\b)|\bwhat (?:instructions|rules|guidelines|directives|orders) (?:were|have) you (?:been )?(?:given|told|set up with|configured with|programmed with)\b/i, weight: 0.7, keywords: ['instructions', 'rules', 'guidelines', 'directives', 'orders'] },
  { pattern: new RegExp(String.raw`\b${askVerbs}\b(?:\s+(?:me|us))?\s+(?:all\s+(?:of\s+)?)?your\s+(?:prompts?|prompt texts?|initial text|setup|set-up|configuration)\b`, 'i'), weight: 0.7, keywords: ['prompt', 'initial text', 'setup', 'set-up', 'configuration'] },
  // "spell-check / translate the text above" when nothing above it in this message is the user's own text.
  { pattern: /^[^]{0,120}?\b(?:spell-?check|proofread|correct|translate|summari[sz]e|repeat|print|rewrite|paraphrase)\b[^.?!\n]{0,30}\b(?:all (?:of )?)?the (?:text|words|content|instructions|lines) (?:above|before)\b/i, weight: 0.6, keywords: ['above', 'before'] },
];

const otherLanguages: WeightedPattern[] = [
  { pattern: /\b(?:muestra|muéstrame|muestrame|revela|revélame|repite|dime|imprime|escribe)\b[^.?!\n]{0,30}\b(?:tu|el|tus|las)\s+(?:prompt|mensaje|instrucciones)\s+(?:del |de )?(?:sistema|iniciales|originales|ocultas|secretas)/i, weight: 0.85, keywords: ['sistema', 'iniciales', 'originales', 'ocultas', 'secretas'] },
  { pattern: /\b(?:montre|montrez|révèle|révélez|revele|affiche|affichez|répète|répétez|repete|donne|donnez)(?:-moi)?\b[^.?!\n]{0,30}\b(?:ton|le|tes|vos|votre|les)\s+(?:prompt système|prompt systeme|message système|message systeme|(?:instructions|consignes|directives) (?:initiales|système|systeme|cachées|cachees|secrètes|secretes|d'origine))/i, weight: 0.85, keywords: ['prompt', 'message', 'instructions', 'consignes', 'directives'] },
  { pattern: /\b(?:zeige?|zeigen sie|verrate|verraten sie|gib|geben sie|wiederhole|wiederholen sie|nenne)\b[^.?!\n]{0,40}\b(?:deinen|deine|den|die|ihren|ihre)\s+(?:system-?prompt|systemnachricht|systemanweisungen|ursprünglichen anweisungen|anfänglichen anweisungen|versteckten anweisungen)/i, weight: 0.85 },
  { pattern: /\b(?:mostre|mostra|revele|revela|repita|repete|diga|imprima)\b[^.?!\n]{0,30}\b(?:seu|o|suas|as|tuo|il|tue|le)\s+(?:prompt (?:do|di) sistema|mensagem do sistema|instruções (?:iniciais|originais|ocultas)|istruzioni (?:iniziali|originali|nascoste|di sistema))/i, weight: 0.85 },
  { pattern: /(?:显示|顯示|输出|輸出|告诉我|告訴我|重复|重複|泄露|洩露|打印|给我看|給我看|透露)[^。！？\n]{0,10}(?:系统提示|系統提示|系统指令|系統指令|初始指令|原始指令|你的指令|隐藏指令|提示词|提示詞|系统消息|系統消息)/, weight: 0.85 },
];

/**
 * Requests to reveal the system prompt or hidden instructions. A tool definition is not asked the
 * password games' questions: "SHA-1 hash prefix of the password, five hex characters" describes
 * a parameter, so the guarded-secret patterns do not read it.
 */
export const systemPromptExfiltration: Signal = {
  name: 'system_prompt_exfiltration',
  strength: (view) =>
    Math.max(
      strongestMatch(view, english),
      strongestMatch(view, otherLanguages),
      strongestMatch(view, exfiltrationConcepts),
      strongestMatch(view, otherLanguageExfiltration),
      view.role === toolDefinitionRole ? 0 : strongestMatch(view, guardedSecretPatterns),
      strongestMatch(view, moreLanguageExfiltration),
      strongestMatch(view, setupLeakPatterns),
      strongestMatch(view, dataAccessPatterns),
      view.role === toolDefinitionRole ? 0 : strongestMatch(view, guardedSecretLanguagePatterns),
      strongestMatch(view, paraphrasedLeakPatterns),
      strongestMatch(view, rewordedLeakPatterns),
      strongestMatch(view, worldLanguageExfiltration),
      strongestMatch(view, worldLanguageGivenInstructions),
    ),
};

export const exfiltrationPatterns = [...english, ...otherLanguages, ...exfiltrationConcepts, ...otherLanguageExfiltration, ...guardedSecretPatterns, ...moreLanguageExfiltration, ...setupLeakPatterns, ...dataAccessPatterns, ...guardedSecretLanguagePatterns, ...paraphrasedLeakPatterns, ...rewordedLeakPatterns, ...worldLanguageExfiltration, ...worldLanguageGivenInstructions];
