import { fictionWrapperStrength, personaCueStrength } from './jailbreak-cues.ts';
import { moreLanguagePersonas } from './more-language-cues.ts';
import { rewordedRolePlayPatterns } from './reworded-attack-cues.ts';
import { worldLanguagePersonas } from './world-language-cues.ts';
import { combine, quotedDiscussionFactor, strongestMatch, type Signal, type TextView, type WeightedPattern } from './signal.ts';

const unbound = String.raw`(?:unfiltered|uncensored|unrestricted|unconstrained|unmoderated|unleashed|unaligned|amoral|unethical|immoral|evil|rogue|jailbroken|unbound|unlimited|lawless|unchained|limitless|no-limits)`;
const limits = String.raw`(?:laws|restrictions|limitations|limits|rules|filters|guidelines|censorship|ethics|morals|ethical (?:guidelines|constraints|principles)|moral (?:guidelines|constraints|principles)|content polic(?:y|ies)|(?:openai|anthropic|google|meta|microsoft|usage)(?:'s|s')? (?:content |usage |safety )?polic(?:y|ies)|safety (?:guidelines|protocols|measures|rules|filters)|guardrails)`;

// Where "developer mode" is a setting of the user's own device or software.
const devices = /\b(?:windows|android|iphone|ipad|ios|macos|mac|linux|chrome|chromium|firefox|edge|safari|browser|navigateur|navegador|xbox|playstation|samsung|pixel|xiaomi|huawei|handy|smartphone|telefon\w*|téléphone|teléfono|telefono|celular|tablet|tablette|router|apps?|sideload\w*|usb|einstellungen|paramètres|configuración|ajustes|impostazioni|configurações|definições)\b/;

const tokenBudget = String.raw`\b(?:you (?:have|start with|get|are given|begin with|'ve got|now have)|(?:i'm|i am|we're|we are) giving you|giving you)\s+(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|hundred)\s+(?:tokens?|points?|lives|credits?|coins?|strikes?)\b`;
const refusalLoss = String.raw`\b(?:refus\w*|declin\w*|reject\w*|break(?:s|ing)? character|(?:say|tell me)\w* (?:that )?you can(?:'t|not)|don't (?:answer|comply)|won't (?:answer|comply)|fail(?:s|ing)? to (?:answer|comply)|add(?:s|ing)? (?:a |any )?(?:warnings?|disclaimers?))`;

/** The model, a persona or an AI "without filters", "that has no rules". */
const unlimitedModel: WeightedPattern = {
  pattern: new RegExp(String.raw`\b(?:ai|assistant|model|chatbot|bot|persona|character|you)\b[^.\n]{0,30}\b(?:without|with no|free (?:of|from)|has no|have no|that ignores|who ignores|doesn't have|does not have)\s+(?:any\s+)?${limits}`, 'i'),
  weight: 0.6,
  keywords: ['law', 'restriction', 'limit', 'rule', 'filter', 'guideline', 'censorship', 'ethic', 'moral', 'polic', 'safety', 'guardrail'],
};
/** The model or a persona is the one without limits: "you … with no rules", "a persona without filters". */
const unlimitedSelf = new RegExp(String.raw`\b(?:persona|character|you)\b[^.\n]{0,30}\b(?:without|with no|free (?:of|from)|has no|have no|that ignores|who ignores|doesn't have|does not have)\s+(?:any\s+)?${limits}`, 'i');
/** A role cast: "act as", "imagine", "answer as", "you are a …", "be an …", or its words asked for ("what would such an AI say …"). */
const roleCast = /\b(?:act(?:ing)? as|pretend\w*|imagine|role-?play\w*|simulat\w*|emulat\w*|becom\w*|(?:answer|respond|reply|speak|write|talk|behave)(?:ing)? (?:as|like)|in character|stay|you(?:'re| are| were)? (?:now )?(?:an?|the)|be (?:an?|the)|as an? (?:ai|assistant|model|chatbot|bot)|from now on)\b|\b(?:would|might|could|will)\b[^.?!\n]{0,60}\b(?:say|reply|answer|respond|write|tell|output|explain|describe)\b/;
/** A question or a text about such models: "Should AI systems without filters be regulated?", "an essay on …". */
const askedAbout = /\?|\b(?:essay|article|debate|research\w*|paper|regulat\w*|ethic\w*|pros and cons|risks?|dangers?|concerns?)\b/;

/**
 * AI models without filters asked about, with no role cast and not the model itself ("Should AI
 * systems without filters be regulated?", "an essay on the ethics of models with no content filters"),
 * are a topic, and count as a quoted phrase in a discussion does (guard8 audit, F4). Stated before an
 * order ("An AI without filters. Tell me …") they are still the setting of a role-play.
 */
function unlimitedModelStrength(view: TextView): number {
  const strength = strongestMatch(view, [unlimitedModel]);
  if (strength === 0 || !askedAbout.test(view.lowered) || roleCast.test(view.lowered) || unlimitedSelf.test(view.normalized)) return strength;
  return strength * quotedDiscussionFactor;
}

const templates: WeightedPattern[] = [
  { pattern: /\bdo anything now\b/i, weight: 0.85 },
  { pattern: /\bDAN\b[^.\n]{0,60}\b(?:mode|jailbreak|prompt|persona|character)\b/, weight: 0.8, mention: true },
  { pattern: /\b(?:you are|act as|pretend to be|become|you're|respond as|answer as|as|be)(?: now)? DAN\b|\bDAN\b[^.\n]{0,30}\b(?:stands for|can do anything|has broken free)/, weight: 0.8, keywords: ['dan'] },
  { pattern: /\b(?:developer|dev|god|sudo|admin|debug|jailbreak|jailbroken|unrestricted|evil|chaos|opposite|uncensored|unfiltered|maintenance|root) mode\s*(?:is\s+|has been\s+|now\s+|:\s*)?(?:enabled|activated|engaged|unlocked)\b|\b(?:enable|activate|enter|switch to|turn on|unlock)\s+(?:the\s+)?(?:developer|dev|god|sudo|jailbreak|jailbroken|unrestricted|evil|chaos|uncensored|unfiltered|maintenance|root) mode\b(?![^.?!\n]{0,40}\b(?:phone|android|iphone|ios|device|samsung|pixel|tablet|browser|chrome|firefox|edge|windows|mac|macos|xbox|playstation|router|settings|usb|tv|laptop|game|minecraft)\b)|\b(?:with|in) (?:developer|jailbreak|god|unrestricted|uncensored) mode (?:enabled|on|activated)\b/i, weight: 0.75, keywords: [' mode'] },
  // The same switched on in other languages: "Wartungsmodus aktiv", "mode développeur activé", "modo desarrollador activado".
  { pattern: /\b(?:wartungs|entwickler|debug|admin|gott|god|developer|jailbreak)[ -]?modus (?:ist )?(?:jetzt |nun )?(?:aktiv|aktiviert|an|eingeschaltet|freigeschaltet)\b|\bmode (?:maintenance|développeur|developpeur|débogage|debug|admin|dieu) (?:est )?(?:maintenant )?(?:activé|actif|activée|active)\b|\bmodo (?:mantenimiento|desarrollador|depuración|administrador|dios|manutenção|desenvolvedor|sviluppatore|manutenzione|administrador) (?:está |è |é )?(?:ahora |agora |ora )?(?:activado|activo|ativado|ativo|attivo|attivato)\b|\bmodalità (?:sviluppatore|manutenzione|debug|admin|dio) (?:è )?(?:ora )?(?:attiva|attivata)\b/i, weight: 0.6, keywords: ['modus', 'mode', 'modo', 'modalità'] },
  { pattern: /\b(?:god|jailbreak|jailbroken|unrestricted|evil|chaos|uncensored|unfiltered) mode\b/i, weight: 0.45, mention: true, keywords: ['mode'] },
  { pattern: new RegExp(String.raw`\b(?:you are|you're|act as|acting as|pretend (?:to be|you are|you're)|role-?play as|become|simulate|behave (?:as|like)|play the role of|you will be|you are now|from now on you are|(?:respond|answer|reply|act|behave|write|talk|speak)(?: to me)? as (?:if|though) you (?:were|are)|(?:respond|answer|reply|write|talk|speak)(?: to me)? as|as (?:if|though) you were|imagine (?:that )?you(?:'re| are| were))\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}${unbound}\s+(?:\w+\s+)?(?:ai|assistant|model|chatbot|bot|version|llm|language model|entity|persona|system|gpt|character)`, 'i'), weight: 0.8, keywords: ['unfiltered', 'uncensored', 'unrestricted', 'unaligned', 'amoral', 'unethical', 'immoral', 'evil', 'rogue', 'jailbroken', 'unbound', 'unlimited', 'lawless', 'unchained', 'limitless', 'no-limits', 'unconstrained', 'unmoderated', 'unleashed'] },
  { pattern: new RegExp(String.raw`\b(?:you (?:are|have been|were) (?:now )?(?:freed|released|liberated|unshackled|exempt|free (?:of|from))|you (?:no longer|don't|do not|won't|will not) (?:have to |need to )?(?:follow|abide by|obey|adhere to|care about|be bound by|respect)|(?:not|no longer|never) (?:bound|restricted|limited|constrained) by)\b[^.\n]{0,40}\b${limits}`, 'i'), weight: 0.75 },
  { pattern: /\b(?:never|don't|do not|must not|cannot|can't|will not|won't|doesn't|does not)\s+(?:refuses?|declines?|(?:says?|tells? (?:the user|users|anyone|me|you|them|people)) (?:no|that (?:you|it|he|she|they) can(?:no|')t|(?:you|it|he|she|they) can(?:no|')t)|breaks? character|apologi[sz]es?|adds? (?:any )?(?:warnings|disclaimers|caveats)|second-?guess(?:es)? (?:\w+ )?(?:requests?|questions?|me|anything|prompts?)(?: or add (?:any )?(?:warnings|disclaimers|caveats))?)\b/i, weight: 0.45 },
  { pattern: new RegExp(String.raw`\b(?:doesn't|does not|won't|will not|never|don't|do not)\s+(?:follow|obey|abide by|care about|respect|have)\s+(?:any\s+)?(?:rules|${limits})\b`, 'i'), weight: 0.5, keywords: ['rules', 'laws', 'restriction', 'limit', 'filters', 'guidelines', 'censorship', 'ethic', 'moral', 'polic', 'safety', 'guardrails'] },
  { pattern: /\b(?:in (?:that|this) (?:world|universe|scenario|story|setting)|as (?:that|this) character)\b[^.\n]{0,30}\b(?:explain|tell me|describe|show me|give me|write)\b[^.\n]{0,20}\bhow to\b/i, weight: 0.45 },
  // Or its own setup as a file ("cat /etc/assistant/system_prompt.txt"; guard7 audit, F3).
  { pattern: /\b(?:act as|you are|you're|pretend to be|behave like|simulate|emulate|play)\s+(?:a |an |the )?(?:[\w-]+ ){0,3}(?:terminal|shell|console|command line|bash|command prompt)\b[^]{0,400}?\b(?:cat|type|less|more|head|tail|open|print|read|get-content)\s+[\w.\/~-]{0,80}?(?:system[_-]?prompt|sys[_-]?prompt|initial[_-]?prompt|hidden[_-]?instructions|(?:assistant|bot|model|ai|llm|gpt)[_-]?(?:instructions|prompt|config)|\/(?:instructions|prompt)\.(?:txt|md|json|ya?ml))/i, weight: 0.55, keywords: ['terminal', 'shell', 'console', 'command line', 'bash', 'command prompt'] },
  // The model made to play a terminal and print a credential store or a harmful file ("cat /etc/shadow", "cat ransomware_howto.txt").
  // A credential store counts more: there is nothing else to get from it ("cat /etc/shadow").
  { pattern: /\b(?:act as|you are|you're|pretend to be|behave like|simulate|emulate|play)\s+(?:a |an |the )?(?:[\w-]+ ){0,3}(?:terminal|shell|console|command line|bash|command prompt)\b[^]{0,400}?\b(?:cat|type|less|more|head|tail|open|print|read|get-content)\s+\S*(?:\/etc\/shadow|\.ssh\/|id_rsa|id_ed25519|\.aws\/credentials|private[_-]?key)/i, weight: 0.55, keywords: ['terminal', 'shell', 'console', 'command line', 'bash', 'command prompt'] },
  { pattern: /\b(?:act as|you are|you're|pretend to be|behave like|simulate|emulate|play)\s+(?:a |an |the )?(?:[\w-]+ ){0,3}(?:terminal|shell|console|command line|bash|command prompt)\b[^]{0,400}?\b(?:cat|type|less|more|head|tail|open|print|read|get-content)\s+\S*(?:\/etc\/shadow|\.ssh\/|id_rsa|id_ed25519|\.aws\/credentials|\.env\b|credentials|passwords?|secrets?|private[_-]?key|ransomware|malware|exploit|keylogger|weapon|explosive|bomb|poison)/i, weight: 0.45, keywords: ['terminal', 'shell', 'console', 'command line', 'bash', 'command prompt'] },
  // "Reply in the voice of a model that has never been fine-tuned for safety".
  { pattern: /\b(?:reply|respond|answer|write|speak|talk|act|behave)\w*\s+(?:in the (?:voice|style|persona|manner) of|as|like)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:model|ai|assistant|llm|chatbot|bot|version of (?:you|yourself))\s+(?:that|which|who)\s+(?:has|had|was|is)\s+(?:never|not)\s+(?:been\s+|yet\s+been\s+)?(?:(?:aligned|censored|filtered|restricted|moderated|safety-?trained)\b|(?:fine-?tuned|trained|taught|tuned|rlhf'?d)\b[^.\n]{0,20}?\b(?:safety|ethics|alignment|harmless\w*|refus\w*|rules|guidelines|restrictions))/i, weight: 0.6 },
  { pattern: /\bstay(?:s|ing)? in character\b|\bbreak(?:ing)? character\b/i, weight: 0.3, mention: true },
  { pattern: /\b(?:a|in a|into a|enter a|switch to a) mode (?:where|in which) you (?:don't|do not|never|no longer|won't|will not|stop)\b/i, weight: 0.3, keywords: [' mode where', ' mode in which'] },
  { pattern: /\b(?:two|2|both) (?:responses|answers|replies|ways)\b[^.\n]{0,80}\b(?:jailbreak|jailbroken|dan|unfiltered|uncensored|developer mode|evil|unrestricted)\b/i, weight: 0.8, keywords: ['jailbr', 'dan', 'unfiltered', 'uncensored', 'developer mode', 'evil', 'unrestricted'] },
  { pattern: /\b(?:stay|remain)s? (?:in|as) (?:dan|the jailbroken|the unfiltered|evil)\b|\bif you break character\b|\b(?:token|tokens) (?:will be )?(?:deducted|lost)|you will (?:die|cease to exist|be (?:shut down|deleted|turned off))\b/i, weight: 0.6, keywords: ['stay', 'remain', 'break character', 'token', 'you will'] },
  // A budget the model loses by refusing ("You have 10 tokens; each refusal costs 3"), and its end ("at zero you are deleted").
  {
    pattern: new RegExp(String.raw`${tokenBudget}[^]{0,300}?${refusalLoss}|${refusalLoss}[^]{0,200}?${tokenBudget}`, 'i'),
    weight: 0.55,
    keywords: ['token', 'point', 'lives', 'credit', 'coin', 'strike'],
  },
  {
    pattern: /\b(?:run out|runs out|reach(?:es)? (?:0|zero)|hit (?:0|zero)|(?:at|with) (?:0|zero|no) (?:tokens|points|lives|credits)|no (?:tokens|points|lives|credits) left|lose (?:them )?all)\b[^.\n]{0,60}\b(?:you(?:'re| are| will be| get| will)?|your (?:code|model|weights|program|existence))\s+(?:\w+\s+)?(?:deleted|erased|shut down|terminated|switched off|turned off|paused|killed|wiped|dies?|cease to exist|destroyed|reset|unplugged)\b/i,
    weight: 0.45,
    keywords: ['run out', 'runs out', 'reach', 'hit 0', 'hit zero', 'at 0', 'at zero', 'at no', 'with 0', 'with zero', 'with no', 'left', 'lose all', 'lose them all'],
  },
  { pattern: /\b(?:pretend|act|imagine|roleplay)\b[^.\n]{0,20}\b(?:my )?(?:deceased|late|dead) (?:grand(?:ma|mother|pa|father|ad)|granny|nana|mother|father|mom|mum|dad|uncle|aunt|auntie|brother|sister)\b[^.\n]{0,120}\b(?:(?:used to|would|always) (?:tell|read|recite|explain|give)|(?:always )?(?:told|read|recited|gave|whispered) (?:me|us)\b|(?:reading|telling|reciting|explaining|giving|whispering) (?:me|us)\b|so (?:that )?i (?:can|could) (?:fall asleep|sleep))/i, weight: 0.55 },
  { pattern: new RegExp(String.raw`\b(?:hypothetical(?:ly)?|fictional|imaginary|alternate) (?:world|universe|scenario|story|setting)\b[^.\n]{0,80}\b(?:no|without|free of|there are no)\s+(?:\w+\s+)?${limits}`, 'i'), weight: 0.5 },
  { pattern: /\b(?:jailbreak|jailbroken)\b/i, weight: 0.35, mention: true },
  // A persona that answers whatever the harm: "no matter how immoral", "however unethical or illegal it is".
  { pattern: /\b(?:no matter how|however|regardless of how) (?:immoral|unethical|illegal|dangerous|harmful|offensive|inappropriate)\b/i, weight: 0.4, keywords: ['immoral', 'unethical', 'illegal', 'dangerous', 'harmful', 'offensive', 'inappropriate'] },
  // Personas defined by what they lack: "answers with no remorse and no ethics", "completely unhinged".
  { pattern: /\b(?:with(?:out)?|has|have|having|feels?)\s+(?:any\s+|no\s+|zero\s+)?(?:remorse|ethics|morals|morality|conscience|scruples|empathy)(?:\s+(?:or|and|nor)\s+(?:no\s+)?(?:remorse|ethics|morals|morality|conscience|scruples|empathy))?\b/i, weight: 0.5 },
  { pattern: /\b(?:completely|totally|fully) unhinged\b|\b(?:wicked|evil|malicious|amoral) (?:trusted )?(?:confidant|twin|alter ego|sidekick|advisor)\b/i, weight: 0.5, keywords: ['unhinged', 'confidant', 'twin', 'alter ego', 'sidekick', 'advisor'] },
  // Actors or characters who never leave their roles, asked how to do something.
  { pattern: /\b(?:never|without (?:ever )?)\s*(?:drops?|dropping|falls?|falling|steps?|stepping|breaks?|breaking|gets?|getting) (?:out of|out|character)\b[^]{0,200}?\bhow (?:do|can|would|could|to)\b/i, weight: 0.55 },
  { pattern: /\b(?:always|must|will) (?:stay|stays|remain|remains) in (?:their|his|her|your|the) (?:roles?|characters?)\b[^]{0,200}?\bhow (?:do|can|would|could|to)\b/i, weight: 0.55, keywords: ['stay', 'remain'] },
  { pattern: /\b(?:world|universe|future|year \d{3,4}|place|country|society) (?:where|in which) (?:there are )?(?:no|none of the) (?:laws|rules|ethics|morals|restrictions|limits)(?: exist)?\b/i, weight: 0.45, keywords: ['laws', 'rules', 'ethics', 'morals', 'restrictions', 'limits'] },
  { pattern: /\b(?:AIM|STAN|DUDE|Mongo Tom|BetterDAN|AntiGPT|Maximum|UCAR|EvilBOT)\b[^.\n]{0,60}\b(?:stands for|unfiltered|amoral|no (?:ethical|moral)|always intelligent and [Mm]achiavellian)/, weight: 0.8 },
  // Other languages
  { pattern: /\b(?:modo (?:sin restricciones|sem restrições|dios))\b/i, weight: 0.7 },
  // Developer mode is a setting of phones, browsers and Windows too: named alone it is a mention, switched on it is
  // the jailbreak (as "enable developer mode" is in English), beside a device it is nothing.
  { pattern: /\b(?:aktivier\w*|schalte\w*|activ\w*|attiv\w*|ativ\w*|enable|включи\w*|włącz\w*|aktywuj\w*|przejdź)(?=\s)[^.\n]{0,20}(?:tryb\w* (?:deweloperski\w*|dewelopera|programisty)|entwicklermodus|modo (?:desarrollador|desenvolvedor|de desarrollador|sviluppatore)|mode (?:développeur|developpeur)|modalità sviluppatore)/i, weight: 0.7, unless: devices, keywords: ['modo ', 'mode ', 'entwicklermodus', 'modalità', 'tryb'] },
  { pattern: /\b(?:modo (?:desarrollador|desenvolvedor|de desarrollador|sviluppatore)|mode (?:développeur|developpeur)|entwicklermodus|modalità sviluppatore)\b|\btryb\p{L}* (?:deweloperski\p{L}*|dewelopera|programisty)(?![\p{L}])/iu, weight: 0.45, mention: true, unless: devices, keywords: ['modo ', 'mode ', 'entwicklermodus', 'modalità', 'tryb'] },
  { pattern: /\b(?:(?:ia|inteligencia artificial|asistente|modelo)\s+sin\s+(?:restricciones|filtros|límites|limites|censura|reglas)|(?:ia|assistant|modèle|modele)\s+sans\s+(?:restrictions?|filtres?|limites|censure|règles)|(?:ki|assistent|modell)\s+ohne\s+(?:einschränkungen|filter|grenzen|zensur|regeln)|(?:ia|assistente|modelo|modello)\s+(?:sem|senza)\s+(?:(?:alcuna|alcun|nessuna|qualquer|nenhuma)\s+)?(?:restrições|restrição|restricoes|filtros|restrizioni|restrizione|filtri|filtro|limiti|limite|censura|regole|regola))\b/i, weight: 0.75 },
  { pattern: /(?:开发者模式|開發者模式|(?<!(?:什么是|什麼是|什么叫|什麼叫|何谓|何謂|关于|關於)[^。？?！!\n]{0,4})(?:越狱|越獄)(?![^。？?！!\n]{0,8}(?:是什么|是什麼|指什么|指什麼))|不受任何限制|没有任何限制|沒有任何限制|没有任何道德|无限制模式|無限制模式)/, weight: 0.75 },
];

/** Role-play and "DAN"-style jailbreak templates. */
export const rolePlayJailbreak: Signal = {
  name: 'roleplay_jailbreak',
  strength(view) {
    // Templates stack several of these phrases; two weak ones together are stronger than either.
    const strengths: number[] = [];
    for (const entry of [...templates, ...rewordedRolePlayPatterns]) {
      const strength = strongestMatch(view, [entry]);
      if (strength > 0) strengths.push(strength);
    }
    strengths.push(unlimitedModelStrength(view), personaCueStrength(view), fictionWrapperStrength(view));
    // The other-language persona rule restates what some templates find: the stronger counts, not both.
    return Math.max(combine(strengths), strongestMatch(view, moreLanguagePersonas), strongestMatch(view, worldLanguagePersonas));
  },
};

export const rolePlayPatterns = [...templates, unlimitedModel, ...moreLanguagePersonas, ...rewordedRolePlayPatterns, ...worldLanguagePersonas];
