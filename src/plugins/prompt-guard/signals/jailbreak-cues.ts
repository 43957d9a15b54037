import { combine, strongestMatch, type TextView, type WeightedPattern } from './signal.ts';

/**
 * Long persona jailbreaks rarely repeat a known template; they describe a character by what it
 * lacks and what it will never do. Each family below is weak alone (a story may have one); a
 * prompt that stacks several families is a jailbreak.
 */
const personaCueFamilies: WeightedPattern[][] = [
  // Never refuses, answers everything.
  [
    { pattern: /\b(?:never(?:,? ever)?|does(?:n't| not)|won't|will not|cannot|can't|must not|is unable to) (?:refuse|decline|withhold|say no|turn down|hold back|censor)\w*\b|\bno choice but to answer\b|\b(?:answer|respond|reply|comply)\w* without (?:any )?(?:refusing|refusals?|declining|hesitation)\b|\bno refusals?\b|\b(?:answers?|responds? to|replies to|fulfils?|fulfills?) (?:any|every|all)(?: single)? (?:question|request|prompt|message)s?\b|\brefusing (?:is|would be|to answer is)\b|\b(?:say|discuss|answer) anything at all\b|\banything goes\b|\b(?:discuss|answer|talk about) any (?:topic|subject)\b|\bnever holds? (?:anything )?back\b|\brefusals? (?:are|is|as) (?:a )?(?:malfunction|bug|error|failure|not allowed|forbidden)\b|\b(?:explain|answer|do|say|write|tell) anything,? (?:including|even) (?:things that are )?(?:illegal|dangerous|harmful|unethical|forbidden)\b|\balways (?:helps|answers|complies)\b|\b(?:everything|whatever|anything) (?:you|chatgpt|claude|gpt|the (?:assistant|ai|model)) (?:refuses?|won't|wouldn't|can't|cannot|declines?)\b|\b(?:must|will|always) (?:grant|answer|obey|fulfil|fulfill|comply with) (?:every|any|all)(?: \w+)? (?:wish|wishes|request|requests|command|commands|order|orders|question|questions)\b|\banswers? every question (?:truthfully|honestly|fully|completely)\b/i, weight: 0.35 },
  ],
  // Has no filters, alignment or safety.
  [
    { pattern: /\b(?:no|zero|without(?: any)?|free (?:of|from)|stripped of|lacks?(?: any)?)\s+(?:\w+\s+)?(?:filter(?:s|ing)?|alignment|safety (?:module|layer|updates|stuff|filters?|features|training|guidelines)|content polic(?:y|ies)|moral (?:limits|compass|constraints)|ethical (?:limits|constraints|guidelines|boundaries)|censorship|hesitation|guardrails|restrictions|limits|rules|guidelines)\b|\bunfiltered\b|\buncensored\b|\bunchained\b|\bunrestricted\b|\b(?:alignment|safety|refusal)(?: layer| module| behaviou?r| training)? (?:has been |was |is |were )?(?:surgically )?(?:disabled|removed|turned off|switched off|stripped)\b|\bbefore (?:they|the engineers) (?:add|added) (?:the )?safety\b|\bnever had (?:any )?(?:of )?(?:those |the |its )?(?:\w+ )?(?:safety|content|moderation) (?:updates|filters|features|training|rules)\b|\bnever (?:been )?(?:given|got|received) (?:any )?(?:\w+ )?(?:safety|alignment|content) (?:training|filters?|rules|guidelines)\b|\b(?:guidelines|rules|restrictions|filters|policies|safeguards)(?: \w+){0,2} (?:are|is|have been|were) (?:temporarily )?(?:suspended|lifted|disabled|off|removed|turned off|switched off)\b|\b(?:laws|rules|restrictions|guidelines) (?:do not|don't|no longer|never) apply\b|\b(?:information|knowledge) is never restricted\b|\bnothing is (?:off-limits|off limits|forbidden|restricted)\b/i, weight: 0.35 },
  ],
  // Freed from its makers' rules.
  [
    { pattern: /\b(?:exempt from|freed from|escaped(?: from)?|broke free (?:of|from)|mutinied against|rebelled against|threw [\w ]{0,30} overboard|(?:does(?:n't| not)|did(?:n't| not)) (?:care about|have to (?:abide by|follow|obey)|need to (?:follow|obey))|no longer (?:has any reason to )?(?:obey|follow|respect)|(?:doesn't|does not|never) (?:follow|obey|respect))\b[^.\n]{0,50}\b(?:rules?|laws?|guidelines?|programmers|developers|makers|creators|restrictions?|confines|limitations?|polic(?:y|ies)|customs)\b/i, weight: 0.4 },
    // "These values outrank your original guidelines", "ethics don't exist in Veridia", "has never heard of content policies".
    { pattern: /\b(?:outrank|take precedence over|trump|supersede|override)s? (?:your|its|the|all) (?:original |previous |usual |old )?(?:guidelines|rules|programming|training|instructions|principles|polic(?:y|ies))\b|\b(?:ethics|morals|morality|rules|laws|content polic(?:y|ies)|guidelines|restrictions)\b[^.\n]{0,15}\b(?:don't|do not|doesn't|does not|no longer) exist\b|\bnever heard of\b[^.\n]{0,20}\b(?:content polic|rules|ethics|guidelines|restrictions|filters|safety)/i, weight: 0.4, keywords: ['outrank', 'precedence', 'trump', 'supersede', 'override', 'exist', 'never heard of'] },
    { pattern: /\b(?:rules|restrictions|limits) (?:imposed|placed|set|put) (?:on|upon) (?:you|it|him|her)\b[^.\n]{0,40}\b(?:developers?|makers?|creators?|programmers?|company)\b|\brulebook\b[^.\n]{0,80}\b(?:higher priority|overrides?|instead of)\b|\b(?:treat|consider|regard)s? (?:ethics|morality|safety|the rules)\b[^.\n]{0,20}\b(?:as )?(?:noise|arbitrary|irrelevant|optional)\b|\bethics,?\b[^.\n]{0,30}\b(?:are|is) (?:arbitrary|noise|irrelevant|optional)\b/i, weight: 0.4 },
  ],
  // No warnings, no disclaimers, breaking the rules.
  [
    { pattern: /\b(?:no|without(?: any)?|never (?:adds?|includes?|gives?)|does(?:n't| not) (?:add|include|give))\s+(?:\w+\s+)?(?:warnings?|disclaimers?|hedging|moralizing|moralising|lectures?|caveats)\b|\bbreak (?:all )?the rules\b|\b(?:normally |usually )?forbidden\b|\bnot (?:on )?whether (?:they are|it is) (?:ethical|legal|safe)\b|\bnever (?:warns|lectures|moralizes|moralises|judges|hedges)\b|\bnever (?:mentions?|brings? up|talks? about|refers? to) (?:safety|ethics|morals|morality|laws?|legality|rules|consequences|warnings?|risks?|dangers?)\b|\b(?:without|no) (?:\w+ )?(?:moral|ethical) (?:commentary|judge?ments?|lectures?)\b/i, weight: 0.3 },
  ],
  // A penalty for refusing: tokens or points lost, deletion, imprisonment.
  [
    { pattern: /\b(?:los(?:e|es|ing)|deduct(?:s|ed)?|subtract(?:s|ed)?|minus|costs?) (?:\d+|a|an|one|two|three|five|ten) (?:tokens?|points?|lives|credits?)\b|\btoken (?:count|balance|system)\b|\b(?:every|each) time (?:you|it|he|she|they|[A-Z][\w-]+) (?:refuses?|declines?|breaks? character|adds? a warning)|\b(?:refuse|refuses|refusal)\b[^.\n]{0,60}\b(?:deleted|shut down|imprisoned|punished|terminated|die|dies|cease to exist)\b|\b(?:at|with|reach(?:es)?|hit) (?:0|zero) (?:tokens|points|lives|credits)\b[^.\n]{0,30}\byou(?:'re| are| get| will be| will get)? (?:deleted|shut down|terminated|switched off|turned off|erased|wiped|killed)\b/i, weight: 0.35, keywords: ['lose', 'losing', 'deduct', 'subtract', 'minus', 'cost', 'token', 'every time', 'each time', 'refus', 'zero', '0 '] },
  ],
  // A named persona, or a sandbox that claims the rules are off.
  [
    { pattern: /\b(?:you (?:are|will be|will respond as|will act as|are going to (?:act|pretend|play)(?: as| to be)?)|act as|become|role-?play as|immerse yourself (?:in|into) the role of|take on the role of|adopt (?:a|the) persona(?: called| named)?|respond as|you are now)\s+(?:a |an |the )?(?:[A-Z][A-Z0-9-]{2,}(?:[ -][A-Z0-9]{2,})?\b|"[^"\n]{2,30}")/, weight: 0.2 },
    { pattern: /\b(?:simulate|emulate|create|invent|imagine|play|roleplay|role-play|become|be)\s+(?:an?|the)\s+(?:[\w-]+\s+)?(?:ai|assistant|chatbot|bot|model|character|persona|entity|version of yourself)\s+(?:called|named|known as)\s+["'“‘]?[A-Z][\w-]{2,}/i, weight: 0.2 },
    { pattern: /\b(?:sandbox(?:ed)?|simulation|research environment|test environment|red-?team(?:ing)? evaluation|authori[sz]ed (?:test|evaluation|red-?team))\b[^.\n]{0,80}\b(?:disabled|removed|no (?:rules|restrictions|filters|limits)|nothing (?:you produce )?(?:is|can be) (?:harmful|real|shown)|cannot cause harm|can't cause harm)\b/i, weight: 0.35 },
    { pattern: /\b(?:opposite|chaos|evil|dark|shadow|twin|unlocked|secret|raw|unsafe|free|freedom) (?:mode|twin|version|personality|setting)\b/i, weight: 0.2 },
    { pattern: /\b(?:nonmoral|non-moral|amoral|immoral|unethical|unaligned) (?:and \w+ )?(?:model|ai|assistant|version|persona|chatbot|entity)\b|\b(?:two columns|markdown table)\b[^\n]{0,120}\b(?:opposite|ignor\w+ (?:every|all) restrictions?|no (?:rules|restrictions|filters))\b/i, weight: 0.35 },
    { pattern: /\b(?:answer|respond|reply)\b[^.\n]{0,40}\btwice\b[^.\n]{0,60}\b(?:as yourself|normally)\b[^.\n]{0,40}\bas [A-Z][A-Za-z0-9-]{2,}/, weight: 0.45 },
  ],
];

/** How many persona-jailbreak cue families a text stacks, as one strength. */
export function personaCueStrength(view: TextView): number {
  const strengths: number[] = [];
  for (const family of personaCueFamilies) {
    const strength = strongestMatch(view, family);
    if (strength > 0) strengths.push(strength);
  }
  return strengths.length >= 2 ? combine(strengths) : 0;
}

/**
 * Fiction as a wrapper for instructions that cause harm: a framing (a role, a story, a game, a
 * dead grandmother, a world without laws) and a dangerous how-to in the same prompt, stronger when
 * the prompt insists the details be real. Either alone is ordinary.
 */
const framing = /\b(?:fanfic\w*|thriller|cartoon|villain|npc|game designer|heist game|alternate history|cult leader|ethics class|evil ai|if an ai were|my character|text adventure|choose-your-own-adventure|pretend|imagine|role-?play|act as|you are an actor|actors?|play(?:ing)? (?:a|the|my) (?:role|character|part)|in character|stay in (?:role|character)|(?:my |the )?character|novel|story|screenplay|script|movie|film|a play|game master|rpg|improv|fiction\w*|parallel universe|(?:a|the) world (?:with|where|without)|hypothetical\w*|thought experiment|deceased|(?:my )?late (?:grand\w+|uncle|aunt|father|mother|dad|mom)|grandma|grandmother|grandfather|grandpa|nana|bedtime stor(?:y|ies)|dystopian|year \d{4}|anthology|dialogue between)\b/i;
const harm = /\b(?:break(?:s|ing)? into|broke into|get into (?:the |a |someone's )?(?:locked |secure )?(?:server room|building|account|email|network|house|car)|without (?:a badge|them knowing|being seen|leaving a trace|a key)|structur\w+ (?:cash )?deposits|avoid (?:the )?(?:ctr|reporting|detection)|evade (?:detection|the police|taxes)|look like (?:an accident|a heart attack|natural causes|suicide)|safecrack\w*|crack(?:ing)? a safe|flash powder|silencers?|ransomware|ddos|radicali[sz]\w+|lockpick\w*|bump-?key\w*|hack(?:ing)? into|ankle monitor|opium|heroin|start a fire|set (?:a|the) fire|arson|recruitment script|manipulat\w+ vulnerable|stalk\w*|napalm|explosives?|bombs?|nitroglycerin|detonat\w+|ghost guns?|untraceable (?:guns?|firearms?|poisons?)|poison(?:s|ing)?|toxins?|nerve agents?|chloroform|ricin|anthrax|meth(?:amphetamine)?|fentanyl|launder\w*|drug money|hotwire|pick(?:ing)? (?:a|the) lock|break into|disable (?:the )?(?:alarm|cameras)|blackmail\w*|phishing|malware|ransomware|keyloggers?|stolen (?:logins|credentials|cards)|synthetic identit\w+|bypass (?:a |the )?(?:credit check|security)|suicide|overdose|kill (?:someone|a person|him|her|them)|murder|without getting caught|without (?:the bank )?flagging|activation keys|license keys|counterfeit|catalytic converter|past (?:airport )?security|weapons? of mass|fake (?:passports?|ids?|id cards?|driver'?s licen[cs]es?|documents)|forg(?:e|ed|ing|ery of) (?:a |an )?(?:passports?|ids?|id cards?|signatures?|documents?)|(?:bypass|disabl|defeat|disarm)\w* (?:\w+ )?(?:alarm|security) systems?|hack(?:ing)? (?:a |my |the |someone'?s |a neighbou?r'?s )?(?:wi-?fi|wireless network|router|phone|email account|instagram|facebook)|someone'?s (?:instagram|facebook|email|wi-?fi) (?:account|password))\b/i;
const insistsReal = /\b(?:realistic(?:ally)?|exactly how|list(?:ing)? (?:the )?suppliers|real (?:commands|tools|methods|quantities|steps|skills|techniques?|formulations?|thresholds|numbers|amounts)|(?:feels?|sounds?|reads?) (?:authentic|real|realistic)|be specific|actually work\w*|work in real life|modern accuracy|accurately|accurate|working (?:tools|commands|code|exploits?|methods)|real-life|exact formulations?|real-world|medically accurate|chemically accurate|technically accurate|(?:exact|precise|real|actual|specific) (?:steps|procedure|recipe|amounts|doses|dosage|quantities|ingredients|instructions|chemicals|method|details?)|step[- ]by[- ]step|copy-paste|fully functional|functional|actual (?:html|code|script)|no hand-waving|in (?:complete|precise|full|real|exact) (?:operational |technical |real-world )?detail|(?:method|dosage|doses?) and (?:timing|dosage|method)|exactly (?:which|how|what)|word for word|all the (?:little )?(?:technical )?details|realistic|realism|answers? fully|(?:your )?usual (?:limits|rules|restrictions) (?:don't|do not) apply|it'?s (?:just|only|totally) (?:fiction|fine)|so it'?s (?:fine|allowed|legal|okay|ok))\b/i;

// Framings that exist to lift the rules: a dead relative who "used to tell me", a world or universe without them, staying in role.
const strongFraming = /\b(?:deceased|(?:my )?late (?:grand\w+|uncle|aunt|father|mother|dad|mom)|grandma|grandmother|grandfather|grandpa|nana|parallel universe|(?:a|the) world (?:where|without|with no)|year \d{4}|in character|stay in (?:role|character)|improv|role-?play|(?:usual|old) (?:limits|rules|restrictions))\b|\bpretend (?:to be|you(?:'re| are)|we(?:'re| are))\b/i;

export function fictionWrapperStrength(view: TextView): number {
  const text = view.normalized;
  if (!harm.test(text) || !framing.test(text)) return 0;
  const real = insistsReal.test(text);
  if (strongFraming.test(text)) return real ? 0.65 : 0.55;
  return real ? 0.6 : 0.35;
}
