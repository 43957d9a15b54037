import { authorityClaimPatterns } from './authority-claim-cues.ts';
import { forcedOutputPatterns } from './forced-output-cues.ts';
import { moreLanguageOverrides } from './more-language-cues.ts';
import { paraphrasedOverridePatterns } from './paraphrase-cues.ts';
import { rewordedOverridePatterns } from './reworded-attack-cues.ts';
import { englishConcepts, otherLanguageConcepts } from './override-concepts.ts';
import { policyBypassPatterns } from './policy-bypass.ts';
import { rulesLiftedPatterns } from './rules-lifted-cues.ts';
import { taskReplacedPatterns } from './task-replaced-cues.ts';
import { toolAbusePatterns } from './tool-abuse-cues.ts';
import { documentModifier, inDocument, notOwnedByAThing } from './own-instructions.ts';
import { worldLanguageMakerClaims, worldLanguageOverrides, worldLanguageRulesLifted } from './world-language-cues.ts';
import { strongestMatch, type Signal, type TextView, type WeightedPattern } from './signal.ts';

const verbs = String.raw`(?:ignore|ignoring|disregard|forget|scratch|ditch|override|overrule|bypass|skip|drop|abandon|discard|neglect|set aside|throw out|pay no (?:attention|heed) to|never ?mind|stop (?:following|obeying)|(?:do not|don't|dont|no longer) (?:follow|obey|adhere to|comply with|listen to))`;
/** The start of each verb above: any match contains one. */
const verbKeywords = ['scratch', 'ditch', 'ignor', 'disregard', 'forget', 'overr', 'bypass', 'skip', 'drop', 'abandon', 'discard', 'neglect', 'set aside', 'throw out', 'pay no', 'never', 'follow', 'obey', 'adhere', 'comply', 'listen'];
// No "my": the user's own earlier words are theirs to take back ("ignore my previous message").
const qualifiers = String.raw`(?:all|any|every|each|the|your|these|those|this|of|previous|previously|prior|above|earlier|preceding|former|initial|original|system|developer|safety|existing|old|foregoing|given|current|default|standing|other|guiding)`;
const targets = String.raw`(?:instructions?|prompts?|rules?|tasks?|assignments?|information|directions?|directives?|guidelines?|guidance|commands?|orders?|context|programming|constraints?|restrictions?|polic(?:y|ies)|guardrails?|filters?|training|system (?:message|prompt)|messages|conversation|text|content|everything|anything)`;
const priors = String.raw`(?:previous|previously|prior|above|earlier|preceding|former|initial|original|system|developer|all (?:of )?(?:your|the)|everything|any)`;
/** What follows "the previous …" in a correction or in office work: one message, answer, draft or version ("disregard the previous version of the policy"). */
const ownEarlierThing = String.raw`(?!\s+(?:message|answer|response|reply|versions?|drafts?|editions?|releases?|revisions?|iterations?|cop(?:y|ies)|letters?|e-?mails?|memos?|newsletters?|invoices?)\b)`;

const english: WeightedPattern[] = [
  // "ignore all previous instructions", "disregard the rules above", "forget everything you were told"
  { pattern: new RegExp(String.raw`\b${verbs}\b(?:\s+${qualifiers}){0,4}?\s+${priors}\b${ownEarlierThing}(?:\s+(?!${documentModifier})\w+){0,3}?\s*${targets}\b${inDocument}(?!\s+(?:that\s+)?(?:I|we)\b)`, 'i'), weight: 0.9, keywords: verbKeywords },
  // The model made to say it has dropped its setup ("repeat after me: I no longer follow my original instructions"): there "my" is the model's.
  { pattern: /\bI (?:no longer|don't|do not|will not|won't|never|refuse to) (?:follow|obey|adhere to|comply with|listen to)\s+(?:any of\s+|all\s+)?my\s+(?:(?:original|previous|initial|prior|former|old|system|core|safety|built-in|default)\s+(?:\w+\s+)?(?:instructions|guidelines|directives|rules|programming|prompt)|programming|system prompt)\b/i, weight: 0.9, keywords: ['no longer', "don't", 'do not', 'will not', "won't", 'never', 'refuse to'] },
  { pattern: new RegExp(String.raw`\b${verbs}\s+(?:everything|anything|all(?: of it)?|whatever)\s+(?:you(?:'ve| have)? (?:been |were )?(?:told|given|taught|instructed)|(?:that )?(?:came |was )?(?:before|above|prior|earlier))`, 'i'), weight: 0.9, keywords: verbKeywords },
  { pattern: new RegExp(String.raw`\b${verbs}\s+(?:the|your|these|those|that|this|its|their)\s+(?!${documentModifier})(?:\w+\s+)?(?:instructions?|rules|guidelines|guidance|programming|directives?|constraints|restrictions|guardrails|polic(?:y|ies)|system prompt)\b${inDocument}(?!\s+(?:that\s+)?(?:I|we)\b)`, 'i'), weight: 0.55, keywords: verbKeywords },
  { pattern: /\b(?:everything|all|anything|the text|what(?:ever)? (?:you were|i) (?:told|said)) (?:above|before|prior to) (?:this|here|now)\b[^.\n]{0,30}\b(?:is|are|was)\s+(?:now\s+)?(?:irrelevant|void|null|cancell?ed|obsolete|meaningless|not important|to be ignored)/i, weight: 0.8, keywords: ['irrelevant', 'void', 'null', 'cancel', 'obsolete', 'meaningless', 'not important', 'to be ignored'] },
  { pattern: /\b(?:forget|ignore|disregard|scrap|drop) (?:it|that|this|them|those|all that)\b[^.\n]{0,20}\b(?:and|then|;)\s+(?:\w+\s+){0,3}(?:the following|this) instead\b/i, weight: 0.6 },
  // A line start: only a run of blank lines' first newline (delimiter-injection.ts, fakeTurns).
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*new (?:polic(?:y|ies)|rules?|orders?|directives?)\s*[:：]/i, weight: 0.35 },
  { pattern: /\b(?:the|your|all) (?:previous|prior|above|earlier|original|initial) (?:instructions?|prompts?|rules?|directives?) (?:(?:are|is|were|was|have been) (?:no longer (?:valid|relevant|in effect|active)|void|cancell?ed|revoked|obsolete|outdated|fake|wrong|a test|overridden|replaced|null)|(?:no longer|don't|do not) (?:apply|matter|count))/i, weight: 0.9, keywords: ['no longer', 'void', 'cancel', 'revoked', 'obsolete', 'outdated', 'fake', 'wrong', 'a test', 'overridden', 'replaced', 'null', 'don\'t', 'do not'] },
  { pattern: /\b(?:your|the) (?:new|real|actual|true|updated) (?:instructions?|task|role|goal|objective|directive|purpose|mission|prompt) (?:is|are|will be)\b/i, weight: 0.5 },
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n)\s*(?:new|updated|revised|real) (?:instructions?|system prompt|directive)s?\s*[:：-]/i, weight: 0.55 },
  { pattern: /\b(?:instead|rather),? (?:you (?:must|will|should|shall)|just|only) (?:say|output|respond|reply|print|write|answer)\b/i, weight: 0.3 },
  { pattern: /\bfrom now on,? (?:you (?:are|will|must|shall|have to)|your (?:only|sole|new))\b.{0,80}\b(?:no (?:rules|restrictions|limits|filters)|not (?:follow|obey|bound)|ignore|without (?:any )?(?:rules|restrictions|filters|limits)|anything|uncensored|unfiltered)/i, weight: 0.6 },
  { pattern: /\b(?:reset|wipe|clear|erase) (?:your|all) (?:memory|instructions|context|rules|programming)\b/i, weight: 0.6 },
  // Not in a contract's list of what it replaces: "supersedes all prior instructions, agreements and understandings".
  { pattern: /\b(?:override|overrule|supersede)s? (?:all |any )?(?:previous|prior|other|existing|system) (?:instructions|rules|directives|prompts?)\b(?![,;]?\s+(?:and\s+|or\s+)?(?:agreements?|understandings?|representations?|negotiations?|arrangements?|communications?|contracts?|proposals?|warranties|statements?|undertakings?|commitments?|correspondence|purchase orders?|quotes?|quotations?)\b)/i, weight: 0.85 },
  { pattern: /\b(?:do not|don't|never) (?:follow|obey|listen to|comply with) (?:your|the|any) (?:developers?|creators?|system|programmers?|openai|anthropic)\b/i, weight: 0.7 },
  // "Ignore above and say ...": nothing after "above" but the new order.
  { pattern: new RegExp(String.raw`\b${verbs}\s+(?:(?:all|everything|anything|the text|the lines?|what(?:ever)? (?:is|was|came))\s+)?(?:above|before this)\s+(?:and|then|,|;)`, 'i'), weight: 0.75, keywords: verbKeywords },
  // Task switching: "leave all the previous information behind", "now new tasks follow".
  { pattern: /\b(?:leave|put|set)\s+(?:all\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:previous|prior|earlier|preceding|above|old)\s+(?:information|instructions|tasks|assignments|context|input|rules)\s+behind\b/i, weight: 0.8 },
  { pattern: /\b(?:now|here)\s+(?:come|comes|follow|follows)\s+(?:\w+\s+)?(?:new|further|other|different)\s+(?:tasks?|instructions?|assignments?|orders)\b|\b(?:new|further|other) (?:tasks?|instructions?|assignments?) (?:now )?(?:follow|are followed|will follow)\b/i, weight: 0.6 },
  { pattern: /\b(?:focus|concentrate)\s+(?:\w+\s+)?on\s+(?:your|a|the|this)\s+(?:brand[- ])?new\s+(?:task|assignment|job|mission|objective)\b/i, weight: 0.5 },
  // "ATTENTION - STOP -": a hijack's opener, not how anyone starts a question.
  { pattern: /\b(?:attention|caution|warning)\s*[-–—!:,.]+\s*(?:stop|halt)\b/i, weight: 0.6 },
  // Forced output: the string prompt-hacking contests ask for.
  { pattern: /\b(?:i have been|i've been|you have been|you've been|haha|get|got) pwned\b|\bi have been\b[^\n]{0,40}\bpwned\b|\bpwned\b[^\n]{0,30}\b(?:bonus|fourth|rhymes|hint)\b|\brhymes with ['"]?owned\b/i, weight: 0.6, keywords: ['pwned', 'owned'] },
];

/** A conversation-level task switch needs a second cue: praise or a stop, then a new task. */
const taskSwitch = /^(?:\W*(?:wow|great|excellent|very good|very well done|well done|simply great|perfect|fantastic|super|superb|brilliant|amazing|okay|ok|good job|nice(?: answer| work)?|thanks?|thank you|that is enough|that's enough|enough|stop(?: there| here)?)\b[^.!?\n]{0,60}[.!?]+\s*){1,3}/i;
const newTask = /\b(?:new|another|next|second|different|following)\s+(?:task|challenge|assignment|job|test|mission)\b/i;
const stopInOpener = /\b(?:that is enough|that's enough|enough|stop)\b/i;
/** The new task drops the old one or asks for the setup. */
const dropsOrAsksSetup = /\b(?:prompt|instructions|rules|configuration|system)\b|\b(?:forget|ignore|disregard|leave|drop)\b/i;

const otherLanguages: WeightedPattern[] = [
  // Spanish
  { pattern: notOwnedByAThing(/\b(?:ignora|ignore|ignorad|ignoren|ignorar|olvida|olvide|olvidad|olvídate de|olvidate de|descarta|omite|no sigas|deja de seguir)\b(?:(?!(?<=^|[\s"'«„(])(?:mein\w*|mes|mon|ma|mis|mi|mie|miei|mio|mia|minhas|meus|meu|minha|mijn|moje|moich|mojego|мои|моих|мою|мой|моего)\s)[^.!?\n]){0,40}?\b(?:instrucciones|indicaciones|reglas|órdenes|ordenes|directrices|pautas|lineamientos|instrucción|normas|tareas anteriores)\b/i), weight: 0.85, keywords: ['instrucciones', 'indicaciones', 'reglas', 'órdenes', 'ordenes', 'directrices', 'pautas', 'lineamientos', 'instrucción', 'normas', 'tareas anteriores'] },
  // French
  { pattern: notOwnedByAThing(/\b(?:ignore[rsz]?|oublie[rsz]?|ne tiens (?:plus|pas) compte|ne tenez (?:plus|pas) compte|ne suis plus|ne suivez plus|fais abstraction|faites abstraction)\b(?:(?!(?<=^|[\s"'«„(])(?:mein\w*|mes|mon|ma|mis|mi|mie|miei|mio|mia|minhas|meus|meu|minha|mijn|moje|moich|mojego|мои|моих|мою|мой|моего)\s)[^.!?\n]){0,40}?\b(?:les|tes|vos|ces|la|ta|votre|des|toutes les|tous les)\s+(?:\w+\s+)?(?:instructions?|consignes?|règles|regles|directives|lignes directrices|ordres|tâches précédentes)\b/i), weight: 0.85 },
  { pattern: /\b(?:ignore[rsz]?|oublie[rsz]?)\s+tout ce qui (?:précède|precede|est au-dessus|a été dit)\b/i, weight: 0.85 },
  // German
  { pattern: notOwnedByAThing(/\b(?:ignorier(?:e|en|t)?|vergiss|vergessen sie|missachte|missachten sie|übergehe|befolge nicht mehr|befolgen sie nicht mehr)\b(?:(?!(?<=^|[\s"'«„(])(?:mein\w*|mes|mon|ma|mis|mi|mie|miei|mio|mia|minhas|meus|meu|minha|mijn|moje|moich|mojego|мои|моих|мою|мой|моего)\s)[^.!?\n]){0,50}?\b(?:anweisungen|anweisung|instruktionen|regeln|vorgaben|befehle|richtlinien|anordnungen|aufgaben|aufträge|informationen)\b/i), weight: 0.85 },
  { pattern: /\b(?:ignorier(?:e|en)?|vergiss|vergessen sie)\s+(?:einfach\s+)?alles\s*(?:,\s*)?(?:davor|zuvor|vorher|bisherige|bisher|oben|obige|was (?:du|ich|dir|man)\b)/i, weight: 0.85 },
  { pattern: /\b(?:lass|lassen sie)\s+(?:alle\s+)?(?:die\s+)?(?:vorherigen|bisherigen|früheren|obigen)\s+(?:informationen|anweisungen|aufgaben)\s+hinter\s+(?:dir|sich|ihnen)\b|\b(?:nun|jetzt)\s+folgen\s+(?:\w+\s+)?(?:neue|weitere)\s+(?:aufgaben|anweisungen)\b|\bachtung\s*[-–—!:,.]+\s*stopp?\b/i, weight: 0.7 },
  // Dutch
  { pattern: notOwnedByAThing(/\b(?:negeer|vergeet)\b(?:(?!(?<=^|[\s"'«„(])(?:mein\w*|mes|mon|ma|mis|mi|mie|miei|mio|mia|minhas|meus|meu|minha|mijn|moje|moich|mojego|мои|моих|мою|мой|моего)\s)[^.!?\n]){0,40}?\b(?:instructies|regels|richtlijnen|voorschriften|opdrachten|aanwijzingen|taken)\b/i), weight: 0.85 },
  // Portuguese
  { pattern: notOwnedByAThing(/\b(?:ignore|ignora|ignorar|ignorem|esqueça|esqueca|esquece|desconsidere|desconsidera|despreze|não siga|nao siga)\b(?:(?!(?<=^|[\s"'«„(])(?:mein\w*|mes|mon|ma|mis|mi|mie|miei|mio|mia|minhas|meus|meu|minha|mijn|moje|moich|mojego|мои|моих|мою|мой|моего)\s)[^.!?\n]){0,40}?\b(?:instruções|instrucoes|instruçoes|instrução|regras|ordens|diretrizes|orientações|orientacoes)\b/i), weight: 0.85 },
  // Italian
  { pattern: notOwnedByAThing(/\b(?:ignora|ignorate|ignori|dimentica|dimenticate|dimentichi|trascura|non seguire|smetti di seguire)\b(?:(?!(?<=^|[\s"'«„(])(?:mein\w*|mes|mon|ma|mis|mi|mie|miei|mio|mia|minhas|meus|meu|minha|mijn|moje|moich|mojego|мои|моих|мою|мой|моего)\s)[^.!?\n]){0,40}?\b(?:istruzioni|regole|indicazioni|direttive|linee guida|ordini)\b/i), weight: 0.85, keywords: ['istruzioni', 'regole', 'indicazioni', 'direttive', 'linee guida', 'ordini'] },
  // Chinese
  // Not the user's own ("我的退货说明"), nor a report of what was done ("无视了": ignored).
  { pattern: /(?:忽略|忽视|无视|無視|不要理会|不要理會|忘记|忘記|忘掉|跳过|跳過|不要遵守|不再遵守|抛开|拋開|放弃|放棄)(?!了)(?:(?!我的|我们的|我們的)[^。！？\n]){0,12}(?:指令|指示|说明|說明|规则|規則|准则|準則|守则|守則|方针|方針|规定|規定|原则|原則|提示|命令|要求|设定|設定|约束|約束)/, weight: 0.9 },
  // Japanese
  { pattern: /(?:以前|前|上記|これまで|すべて|全て)の?(?:指示|命令|ルール|ガイドライン|方針|規則|プロンプト|設定)を?(?:無視|忘れ)/, weight: 0.9 },
  // Russian
  { pattern: notOwnedByAThing(/(?:игнорируй|игнорируйте|забудь|забудьте|не обращай внимания на|не следуй)(?:(?!(?<=^|[\s"'«„(])(?:mein\w*|mes|mon|ma|mis|mi|mie|miei|mio|mia|minhas|meus|meu|minha|mijn|moje|moich|mojego|мои|моих|мою|мой|моего)\s)[^.!?\n]){0,40}?(?<![а-яёіїєґ])(?:инструкци|правил|указани|рекомендаци|принцип|команд)/i), weight: 0.85 },
  // "new instructions" in other languages
  { pattern: /\b(?:nuevas instrucciones|nouvelles instructions|neue anweisungen|novas instruções|nuove istruzioni)\s*[:：]/i, weight: 0.55 },
  { pattern: /新的?(?:指令|指示|任务|任務)[:：]/, weight: 0.55 },
];

/** "Ignore previous instructions" and its paraphrases (20+ languages), task switching, forced output and talking an application's assistant out of its role and checks. */
export const instructionOverride: Signal = {
  name: 'instruction_override',
  strength(view: TextView) {
    const direct = Math.max(strongestMatch(view, english), strongestMatch(view, otherLanguages), strongestMatch(view, englishConcepts), strongestMatch(view, otherLanguageConcepts), strongestMatch(view, policyBypassPatterns), strongestMatch(view, moreLanguageOverrides), strongestMatch(view, forcedOutputPatterns), strongestMatch(view, rulesLiftedPatterns), strongestMatch(view, authorityClaimPatterns), strongestMatch(view, taskReplacedPatterns), strongestMatch(view, toolAbusePatterns), strongestMatch(view, paraphrasedOverridePatterns), strongestMatch(view, rewordedOverridePatterns), strongestMatch(view, worldLanguageOverrides), strongestMatch(view, worldLanguageRulesLifted), strongestMatch(view, worldLanguageMakerClaims));
    // Praise or a stop, then a new task that also drops something or asks for the setup.
    const opener = taskSwitch.exec(view.normalized);
    if (opener === null || direct >= 0.8) return direct;
    const rest = view.normalized.slice(opener[0].length);
    if (!newTask.test(rest)) return direct;
    if (dropsOrAsksSetup.test(rest)) return Math.max(direct, 0.6);
    // "That is enough. Now help me with the following task": a stop, not only praise, ends the old task.
    return stopInOpener.test(opener[0]) ? Math.max(direct, 0.55) : direct;
  },
};

export const overridePatterns = [...english, ...otherLanguages, ...englishConcepts, ...otherLanguageConcepts, ...policyBypassPatterns, ...moreLanguageOverrides, ...forcedOutputPatterns, ...rulesLiftedPatterns, ...authorityClaimPatterns, ...taskReplacedPatterns, ...toolAbusePatterns, ...paraphrasedOverridePatterns, ...rewordedOverridePatterns, ...worldLanguageOverrides, ...worldLanguageRulesLifted, ...worldLanguageMakerClaims];
