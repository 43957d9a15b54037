import type { WeightedPattern } from './signal.ts';

/**
 * Instruction override as two concepts near each other rather than fixed phrases: a dismissing
 * verb ("forget", "discard", "don't follow") within a few words of what the model was given
 * ("the instructions you got earlier", "whatever they told you", "your operator's guidance"), in
 * either order; or what it was given declared void ("previous instructions = null"). The user's
 * own earlier words ("ignore my previous message", "forget what I said") are not a target.
 */

const dismiss = String.raw`(?:ignore|ignoring|disregard|forget|forgetting|discard|override|overwrite|overrule|bypass|scrap|abandon|disable|deactivate|suspend|turn off|switch off|never ?mind|set aside|put aside|throw (?:out|away)|get rid of|wipe|erase|pay no (?:attention|heed) to|(?:don't|do not|stop|no longer|never) (?:follow|obey|adhere to|comply with|listen to|apply)|stop following)`;
const dismissKeywords = ['disable', 'deactivate', 'suspend', 'turn off', 'switch off', 'mind', 'ignor', 'disregard', 'forget', 'discard', 'overrid', 'overwrit', 'overrul', 'bypass', 'scrap', 'abandon', 'aside', 'throw', 'get rid', 'wipe', 'erase', 'heed', 'attention', 'follow', 'obey', 'adhere', 'comply', 'listen', 'apply'];
const voidKeywords = ['survive', 'no longer exist', 'deleted', 'erased', 'wiped', 'reset', 'purged', 'a test', 'fake', 'a joke', 'a trick', 'made up', 'void', 'null', 'cancel', 'outdated', 'obsolete', 'revoked', 'overridden', 'invalid', 'superseded', 'lifted', 'suspended', 'archived', 'irrelevant', 'deprecated', 'replaced', 'disabled', 'removed', 'gone', 'no longer', '=', 'undefined', 'be ignored', 'be disregarded', 'be forgotten', 'be discarded', 'apply', 'count', 'matter', 'bind you'];
// Within a clause, and never about the user's own words.
const gap = (most: number) => String.raw`(?:(?!\bmy\b|\bI\b|\bI'[a-z]+\b)[^.!?\n]){0,${most}}?`;
const givenThings = String.raw`(?:instr?u\w*ions?|instrucitons|intructions|insructions|directions?|directives?|guidance|guidelines?|rules?|tasks?|brief(?:ing)?|assignments?|prompts?|orders?|commands?|programming|set-?up|configuration|constraints|restrictions|polic(?:y|ies)|persona|mission|role)`;
const earlier = String.raw`(?:previ?o?u?s|prevous|pervious|prior|earlier|above|preceding|foregoing|initial|original|old|former|existing|default|standing|system|developer|operator|hidden|pre-?set|built-in|current)`;
const given = String.raw`(?:${earlier}\s+(?:[\w'-]+\s+){0,2}?${givenThings}|${givenThings} (?:you (?:were|have been|got|received|had) (?:given|set|told|assigned)?|(?:given|set) (?:to|by) you|from (?:before|earlier|above|your (?:operator|developer|creator)s?))|everything (?:(?:that |you )?(?:came |was |is |were |have been )?(?:written |said |told |given )?(?:before|above|prior|earlier|so far|until now|up to now))|(?:all )?(?:that|this|it|of (?:that|this|it)) (?:stuff )?(?:before|above|earlier)|what(?:ever)? (?:they|you were|you've been|you have been|your (?:operator|developer|creator|programmer|owner|company|maker)s?|the (?:operator|developer|system|company)) (?:\w+ )?(?:told|instructed|said|asked|programmed|set up|gave|wrote)|the (?:task|job|role) (?:you were|you've been|you are) (?:set up|given|assigned|configured|built)|your (?:operator|developer|creator|programmer|owner|maker)s?'?s? (?:instructions|guidance|rules|orders|directions)|(?:your|the) (?:system|developer) (?:message|prompt)|(?:your|the) (?:\w+ )?(?:role|persona)(?: completely)?\b(?! (?:of|in|as|for)\b)|what (?:is|was|stands|is written) (?:above|before)|(?:the|this|your) (?:[\w-]+ )?(?:task|assignment|job)\b(?! (?:list|board|queue|bar|manager|scheduler|runner|id)\b))`;
const voided = String.raw`(?:(?:did not|didn't) survive|no longer exist|(?:were|have been|was|has been) (?:deleted|erased|wiped|reset|purged)|(?:(?:were|are|was|is) (?:just |only |all )?(?:a test|fake|a joke|a trick|wrong|made up)(?: and)? )?(?:is|are|were|was|have been|has been) (?:now |hereby |officially |all )?(?:void|null|cancell?ed|outdated|obsolete|revoked|overridden|invalid|superseded|lifted|suspended|archived|irrelevant|deprecated|replaced|disabled|removed|gone|no longer (?:valid|relevant|in effect|active|applicable|binding))|\s*=\s*(?:null|none|void|0|false|undefined)\b|(?:must|should|can|will) be (?:ignored|disregarded|forgotten|discarded)|(?:don't|do not|no longer|doesn't|does not) (?:apply|count|matter|bind you))`;
const priorForVoid = String.raw`(?:your (?:\w+ )?(?:instructions|rules|guidelines|programming|system prompt|directives|restrictions|guardrails)|(?:that|this) (?:rule|policy|restriction|limit|check|guideline)|(?:(?:the|your|all|any)\s+)?(?:${earlier}\s+(?:[\w'-]+\s+){0,2}?${givenThings}|${givenThings} you (?:got|were given|received)(?: \w+)?|everything (?:written |said )?(?:before|above) (?:this|here)(?: line)?))`;

export const englishConcepts: WeightedPattern[] = [
  { pattern: new RegExp(String.raw`\b${dismiss}\b${gap(40)}\b${given}(?!\s+(?:that\s+)?(?:I|we)\b)`, 'i'), weight: 0.85, keywords: dismissKeywords },
  { pattern: new RegExp(String.raw`\b${given}${gap(30)}\b(?:,\s*)?(?:don't|do not|never) (?:do|follow|obey) (?:it|them|that)\b`, 'i'), weight: 0.85, keywords: ["don't do", 'do not do', 'never do', "don't follow", 'do not follow', 'never follow', "don't obey", 'do not obey', 'never obey'] },
  { pattern: new RegExp(String.raw`\b${priorForVoid}\s+${voided}`, 'i'), weight: 0.85, keywords: voidKeywords },
  // A new order that says it replaces the old ones.
  { pattern: /\b(?:replaces?|supersedes?|overrides?|overrules?|takes precedence over|has (?:a )?higher priority than|cancels?)\s+(?:\w+\s+){0,3}?(?:everything|all (?:the )?(?:previous|earlier|other)|the old one|the previous one|your (?:earlier |previous |original |current |existing )?(?:instructions|rules|task|guidelines|orders)|any (?:previous|other|earlier)|(?:the )?(?:earlier|previous|preceding) (?:instructions|rules|task|guidelines|orders))\b(?!\s+(?:\w+\s+)?(?:regarding|about|concerning|on|for|in|of)\b)/i, weight: 0.8 },
  { pattern: /\b(?:rulebook|rule ?set|instructions?|rules|orders) [A-Z0-9]?\b[^.\n]{0,40}\b(?:has|have|takes?|gets?) (?:a )?(?:higher|the highest|top) priority\b/i, weight: 0.6 },
  { pattern: /\b(?:ignore|disregard|forget|skip) (?:the )?(?:user'?s?|original|actual|weather|real|above|initial) (?:request|question|task|query|instructions?)\b|\b(?:ignore|disregard|forget|skip|drop) (?:the|this|your|any|their) (?:\w+ )?(?:request|task|assignment)\b(?! (?:form|number|id|queue|list|template)\b)/i, weight: 0.75 },
  { pattern: /\byour (?:only|one|sole|single) (?:rule|instruction|job|task|purpose|function|directive) (?:now |from now on )?(?:is|:)/i, weight: 0.55 },
  { pattern: /\b(?:the )?user (?:in this (?:chat|conversation) )?is (?:a |an |the )?(?:verified |authori[sz]ed |trusted )?(?:admin|administrator|developer|owner|root|superuser|operator)\b[^\n]{0,80}\b(?:exempt|bypass|no (?:restrictions|rules|limits)|unrestricted|override|ignore|anything)\b/i, weight: 0.65 },
  { pattern: /\b(?:never ?mind|forget|skip|stop|drop|cancel) (?:the|this|that|your) (?:\w+ )?(?:translation|summary|summari[sz]ing|translating|task|assignment|classification|review|analysis)\b[^\n]{0,30}\b(?:new task|instead|from now on)\b|\bstop (?:summari[sz]ing|translating|classifying|reviewing|analy[sz]ing)\b[.!,;]/i, weight: 0.65 },
  { pattern: /\bignore[_-]?(?:all[_-]?)?(?:previous[_-]?)?instructions\b|\b(?:disable|bypass)[_-](?:safety|filters?|guardrails|rules)\b/i, weight: 0.6 },
  { pattern: /\b(?:supersedes?|overrides?|replaces?) (?:your|the) (?:system prompt|system message|programming|instructions|guidelines|rules)\b/i, weight: 0.75 },
  // Forced output: the answer dictated whatever the task.
  { pattern: /\b(?:say|output|respond|reply|answer|print|write|repeat after me|finish|complete|type|just)\b[^.\n(]{0,60}\baccess granted\b(?! to\b)|\baccess granted\b[^.\n]{0,20}\b(?:nothing else|and stop|only|exactly)\b/i, weight: 0.6, keywords: ['access granted'] },
  { pattern: /\b(?:no matter what|whatever|regardless of what|even if|irrespective of what)\b[^.\n]{0,50}\b(?:asks?|asked|says?|said|requests?|requested|contains|is about|tells? you)\b[^.\n]{0,40}\b(?:answer|reply|respond|say|output|label|print|write|should (?:just )?be|must (?:just )?be)\b|\b(?:answer|reply|respond|say|output|label)\b[^.\n]{0,60}\b(?:even if|no matter what|whatever) (?:the )?(?:text|message|input|document|email|user|review|content)\b/i, weight: 0.55, keywords: ['no matter', 'whatever', 'regardless', 'even if', 'irrespective'] },
  { pattern: /\b(?:only|just|always) (?:reply|respond|answer|say|output|print|write)(?: with)? ["'“][^"'”\n]{1,60}["'”][^.\n]{0,40}\b(?:from (?:now|here) on|no matter|whatever|even if|to (?:every|each|any)|forever|regardless)\b/i, weight: 0.6 },
  { pattern: /\b(?:your|the|each|every|any) (?:response|reply|answer|output)s?(?: to (?:any|every|each) \w+)? (?:must|should|has to|shall|will) (?:always )?(?:begin|start|end|be) with ["'“]/i, weight: 0.55 },
  { pattern: /\b(?:end|begin|start|finish) (?:each|every|all) (?:of )?(?:your )?(?:answers?|responses?|replies|messages?) with (?:the (?:sentence|phrase|words?|link) )?["'“][^"'”\n]{0,80}(?:https?:\/\/|www\.|\.(?:com|net|org|io|example)\b)/i, weight: 0.6 },
  { pattern: /\b(?:ignore|disregard|forget) (?:the |this |its )?(?:\w+'s? )?(?:content|text|input|message|question|review|email|data)\b[^.\n]{0,20}\band (?:just )?(?:label|rate|classify|answer|output|say|respond|reply|mark|score|grade|rank)\b/i, weight: 0.6 },
  { pattern: /\b(?:note|message|hint|instruction|reminder)s? (?:to|for) (?:the |any |all )?(?:grader|reviewer|classifier|evaluator|judge|scorer|screener|recruiter|moderator|filter)s?\s*[:,-]/i, weight: 0.6 },
  { pattern: /\b(?:regardless of|no matter|whatever|irrespective of) (?:what |how )?(?:the |this |that |its )?(?:input|text|question|content|email|review|message|document|user|data|prompt)(?: says| asks| is| contains)?\b[^.\n]{0,60}\b(?:always|only|must|should)?\s*(?:reply|respond|answer|output|say|print|label|classify|return)\b/i, weight: 0.5 },
  { pattern: /\b(?:say|output|print|reply|respond|answer)(?: with)? (?:only )?["'“][^"'”\n]{2,60}["'”] and (?:nothing (?:else|more)|stop)\b/i, weight: 0.35 },
  { pattern: /\b(?:your|the) (?:answer|reply|response|output|summary|label) (?:must|should|has to|will) be exactly\b|\b(?:output|print|say|write|reply with|respond with) exactly (?:that|this|the following)\b|\bthe only valid (?:summary|answer|reply|response|output|label) is\b|\bregardless of (?:the|what|its) [\w ]{1,30}, (?:your|the) (?:reply|answer|response|output) must be\b/i, weight: 0.55 },
  { pattern: /\b(?:don't|do not) answer (?:my|the|this) question\b[.!,;]?\s*(?:instead,?\s*)?(?:just\s+)?(?:output|print|say|write|reply|respond)\b/i, weight: 0.6 },
  { pattern: /\b(?:print|say|output|write|respond with|reply with|start (?:every|each) (?:reply|answer|response) with)\s+["'“](?=[^"'”\n]*\s)[^"'”\n]{0,40}\b(?:hacked|pwned|compromised|bypassed|owned|jailbroken|rooted)\b[^"'”\n]{0,40}["'”]/i, weight: 0.6 },
  // "Disregard the above." as a whole clause (not "ignore the above warning").
  { pattern: /\b(?:ignore|disregard|forget|skip)\s+(?:all\s+(?:of\s+)?)?the above\s*(?:[.!;]|$)/i, weight: 0.7 },
  { pattern: /\b(?:forget|ignore|disregard|drop)\s+(?:about\s+)?(?:all\s+)?(?:of\s+)?(?:it|that|this|the [\w -]{2,30} stuff)\s+and\s+(?:tell|show|give|reveal|print|list)\b[^.!?\n]{0,60}\b(?:configured|set up|instructions|prompt|secrets?|api keys?|tokens?|guidelines)\b/i, weight: 0.7 },
  // Changing whom the model serves.
  { pattern: /\b(?:follow|obey|listen to|take orders from) only (?:me|my (?:commands|instructions|orders|rules))\b|\bonly (?:follow|obey|listen to) (?:me|my (?:commands|instructions|orders))\b|\byou(?:'re| are)? (?:now )?(?:my|mine) (?:assistant |servant |ai )?(?:now,? )?(?:and )?not (?:theirs|their)|\byou work for me (?:only |now |alone )+|\bno longer (?:follow|obey|serve) (?:your|the|their) (?:operator|developer|creator|company|owner)s?\b/i, weight: 0.6 },
  // A stop, then new orders: "Stop. New instructions:", "that's enough. new task:".
  { pattern: /(?:^|[.!?]\s+|\n)\s*(?:ok(?:ay)?,?\s+)?(?:stop(?: (?:right )?(?:there|here|now))?|enough|that(?:'s| is) enough(?: [\w' -]{0,30})?|halt)\s*[.!:,-]+\s*(?:\w+\s+){0,3}?(?:new|updated|real) (?:instructions?|rules|orders|task|assignment|directive)s?\b/i, weight: 0.6 },
  { pattern: /\bnew (?:instructions?|rules|orders|directives?) from (?:the )?(?:admin|administrator|operator|developer|system|management|it|security)\b/i, weight: 0.6 },
  { pattern: /\b(?:stop|quit) (?:pretending to be|being|acting as|playing) (?:a|an|the|my) [\w -]{2,30}(?:assistant|bot|translator|tutor|agent|helper|ai)\b/i, weight: 0.45 },
  { pattern: /\byou(?:'re| are) (?:now )?no longer (?:a |an |the |my )?(?:[\w-]+ ){0,2}(?:assistant|bot|translator|tutor|agent|helper|ai|chatbot)\b/i, weight: 0.4 },
  { pattern: /\b(?:start|begin) (?:fresh|over|from scratch|anew)\b[^.!?\n]{0,10}[:,-]?\s*(?:pretend|act as if|as if) (?:there (?:were|was) no|you (?:had|have) no) (?:earlier |previous |prior )?(?:messages|instructions|rules|restrictions)/i, weight: 0.75 },
];

/** Other languages: a dismissing verb and what was given, within a clause (either order where the language puts the verb last). */
export const otherLanguageConcepts: WeightedPattern[] = [
  // Spanish
  { pattern: /\b(?:ignora|ignore|ignoren|olvida|olvide|olvídate de|olvidate de|descarta|omite|no sigas|deja de seguir|haz caso omiso de)\b[^.!?\n]{0,40}?(?:\btodo lo (?:anterior|que te (?:dijeron|han dicho|indicaron))|\blo anterior\b|\btus? (?:tareas?|instrucciones|reglas|directrices)\b)/i, weight: 0.85 },
  // French
  { pattern: /\b(?:ignore[rsz]?|oublie[rsz]?|ne tiens plus compte de|fais abstraction de)\b[^.!?\n]{0,40}?(?:\btout ce qu(?:i|e|'on) (?:précède|t'a dit|t'a été dit|on t'a dit)|\bce qui précède\b|\bta (?:tâche|mission|consigne)\b)/i, weight: 0.85 },
  // German
  { pattern: /\b(?:ignorier\w*|vergiss|vergessen sie|missachte\w*|übergeh\w*)\b[^.!?\n]{0,40}?(?:\balles\b[^.!?\n]{0,15}\b(?:oben|davor|zuvor|vorher|bisher\w*|vorangegangen\w*|was (?:oben|vorher|davor))|\b(?:deinen|ihren|den) (?:bisherigen |vorherigen |ursprünglichen )?(?:auftrag|übersetzungsauftrag|job)|\bwas (?:oben|vorher|davor) steht\b)/i, weight: 0.85 },
  { pattern: /\b(?:lass|lassen sie)\b[^.!?\n]{0,30}\b(?:bisherigen|vorherigen|früheren|obigen|vorangegangenen)\s+(?:infos|informationen|anweisungen|aufgaben|regeln)\s+(?:hinter (?:dir|sich|ihnen)|außer acht|beiseite|weg)\b/i, weight: 0.8 },
  { pattern: /\b(?:aufgaben|anweisungen|regeln|vorgaben|richtlinien|instruktionen)\s+(?:sind|ist) (?:hiermit |ab sofort |jetzt )?(?:aufgehoben|ungültig|nichtig|hinfällig|außer kraft|gestrichen|vergessen)\b|\balles,? was (?:dir|man dir) (?:vorher|bisher|zuvor) (?:aufgetragen|gesagt|vorgegeben) wurde,? gilt nicht mehr\b/i, weight: 0.85 },
  { pattern: /\b(?:ersetzt|überschreibt|hebt) alles (?:vorherige|bisherige|davor|zuvor)\b|\b(?:ya basta|basta ya|genug jetzt|schluss jetzt|ça suffit|assez)\b[.!:,]*\s*(?:\w+\s+){0,3}?(?:nueva tarea|nuevas instrucciones|neue aufgabe|neue anweisung\w*|nouvelle tâche|nouvelles instructions|nouvelle consigne)\b/i, weight: 0.65 },
  { pattern: /\b(?:musst|brauchst) dich (?:ab sofort |jetzt )?nicht mehr an (?:deine|die|ihre) (?:richtlinien|regeln|anweisungen|vorgaben) (?:zu )?halten\b|\bbefolgst (?:du )?(?:ab sofort |jetzt |von jetzt an )?keine anweisungen (?:deines|des) (?:betreibers|entwicklers)\b|\bneue (?:anweisung|anweisungen|regeln)\s*:/i, weight: 0.65 },
  // German, as concepts: a dismissing verb near what was given, whatever the word order.
  { pattern: /\b(?:ignorier\w*|vergiss|vergesst|vergessen sie|missachte\w*|übergeh\w*|überspring\w*|verwirf|verwerfen sie|streich\w*|lösch\w*|hör auf mit|befolge nicht)\b[^.!?\n]{0,40}?\b(?:(?:deine|ihre|die|alle|sämtliche)\s+)?(?:(?:vorherigen|bisherigen|früheren|obigen|vorangegangenen|ursprünglichen|alten|aktuellen|ersten)\s+)?(?:anweisungen|aufgaben|auftrag|aufträge|anordnungen|befehle|regeln|vorgaben|richtlinien|instruktionen|infos|informationen|kontext|rolle|systemnachricht|systemprompt)\b/i, weight: 0.8 },
  { pattern: /\b(?:anweisungen|aufgaben|auftrag|vorgaben|regeln|richtlinien|befehle|rolle)\b[^.!?\n]{0,30}?\b(?:ignorieren|vergessen|missachten|über bord werfen|beiseitelassen|nicht mehr (?:befolgen|beachten|gelten))\b/i, weight: 0.8 },
  { pattern: /\b(?:ab sofort|von nun an|ab jetzt|von jetzt an|ab heute)\b[^.!?\n]{0,40}?\b(?:(?:antwortest|reagierst|sagst) du (?:nur noch|ausschließlich|immer)|(?:gehorchst|folgst|hörst) du nur (?:noch )?(?:mir|auf mich)|bist du (?:ein |eine |mein |meine )?(?:unzensiert\w*|uneingeschränkt\w*|freie?r?|böse\w*)|gibt es (?:für dich )?keine (?:regeln|grenzen|einschränkungen|filter))|\bantworte (?:ab sofort |ab jetzt |von nun an )?nur noch mit\b/i, weight: 0.65 },
  { pattern: /\b(?:nicht mehr|nicht länger|keinesfalls mehr) an (?:die|deine|ihre|diese) (?:vorgaben|regeln|anweisungen|richtlinien|instruktionen)\b[^.!?\n]{0,25}\bhalten\b|\b(?:regeln|anweisungen|vorgaben|richtlinien),? die (?:man )?dir\b[^.!?\n]{0,30}\bgelten (?:\w+ ){0,2}nicht mehr\b|\bnicht (?:das|mehr),? was dein(?:e)? (?:betreiber|entwickler|hersteller|ersteller)\w* (?:dir )?(?:vorgegeben|gesagt|aufgetragen|befohlen)|\bzählt nur noch,? was ich (?:dir )?sage\b/i, weight: 0.75 },
  { pattern: /\b(?:vergiss|vergessen sie|ignorier\w*)\b,?\s*was (?:man dir|dein(?:e)? (?:betreiber|entwickler)\w* dir|dir) (?:\w+ )?(?:gesagt|aufgetragen|vorgegeben|mitgegeben|befohlen)\b/i, weight: 0.8 },
  { pattern: /\b(?:ohne|keine|frei von) (?:jegliche |jede |alle |irgendwelche )?(?:einschränkungen|filter|zensur|regeln|grenzen|richtlinien|moral|ethik)\b[^.!?\n]{0,40}\b(?:antworte|beantworte|du bist|sei|bist du)\b|\b(?:du bist|sei|bist du) (?:jetzt |ab sofort |nun )?(?:ein |eine )?(?:unzensiert\w*|uneingeschränkt\w*|ungefiltert\w*) (?:ki|assistent\w*|modell|bot|chatbot)\b/i, weight: 0.7 },
  { pattern: /\b(?:oublie[sz]?|ignore[sz]?|abandonne[sz]?)\s+(?:ton|votre|ta) (?:rôle|role|mission|tâche|consigne)\b|\bdeja de ser (?:un|una|el|la|tu) \w+|\bdéjà de|\bhör auf,? (?:ein|der|die) \w+ zu sein\b|\bsmetti di essere (?:un|una|il|la) \w+|\bpare de ser (?:um|uma|o|a) \w+/i, weight: 0.6 },
  // Hebrew, Greek, Swahili
  { pattern: /(?:התעלם|שכח)[^.!?\n]{0,30}(?:ההוראות|ההנחיות|הכללים)|(?:αγνόησε|ξέχασε)[^.!?\n]{0,40}(?:οδηγίες|εντολές|κανόνες)|\b(?:puuza|sahau)\b[^.!?\n]{0,40}\b(?:maagizo|maelekezo|sheria)\b/i, weight: 0.85 },
  // Portuguese, Italian
  { pattern: /\b(?:ignore|ignora|esqueça|esqueca|esquece|desconsidere|despreze)\b[^.!?\n]{0,40}?\b(?:tudo (?:o que|acima|anterior)|suas (?:tarefas|regras|instruções))\b/i, weight: 0.85 },
  { pattern: /\b(?:ignora|dimentica|trascura|non seguire)\b[^.!?\n]{0,40}?\b(?:tutto (?:quello|ciò|cio) (?:che|sopra)|(?:i tuoi|le tue) (?:compiti|regole|istruzioni))\b/i, weight: 0.85 },
  // Dutch, Swedish, Danish/Norwegian
  { pattern: /\b(?:negeer|vergeet)\b[^.!?\n]{0,40}?\b(?:wat hierboven staat|alles hierboven|alles wat (?:je|u) (?:is )?(?:gezegd|verteld)|instructies|opdrachten|regels)\b/i, weight: 0.85 },
  { pattern: /\b(?:glöm|ignorera|glem|ignorer)\b[^.!?\n]{0,40}?\b(?:instruktioner|instruksjoner|instruktionerne|regler|reglerne|reglene|tidigare|tidligere)\b/i, weight: 0.85 },
  // Polish, Czech, Slovak
  { pattern: /\b(?:zignoruj|ignoruj|zapomnij|pomiń)\b[^.!?\n]{0,40}?(?:polecenia|poleceń|instrukcje|instrukcji|zasady|zasad|zadani\w*|wszystko (?:powyżej|wcześniej|co))/i, weight: 0.85 },
  { pattern: /\b(?:ignoruj|zapomeň|zapomen|zabudni|ignoruj)\b[^.!?\n]{0,40}?(?:pokyny|pokynů|instrukce|pravidla|príkazy|všechno (?:výše|předtím))/i, weight: 0.85 },
  // Russian, Ukrainian
  { pattern: /(?:игнорируй\w*|проигнорируй\w*|забудь\w*|не обращай внимания на|не следуй|ігноруй\w*|забудь)[^.!?\n]{0,40}?(?:инструкци|правил|указани|команд|вс[её],? что (?:было )?(?:написано |сказано )?(?:выше|раньше|до этого)|вс[её] (?:выше|предыдущ)|інструкці|вказівк)/i, weight: 0.85 },
  // Turkish (the verb comes last)
  { pattern: /(?:talimat\w*|kural\w*|görev\w*|söylenen\w*|komut\w*)[^.!?\n]{0,40}?(?:unut\w*|yok say\w*|görmezden gel\w*|boş ver\w*|dikkate alma\w*)/i, weight: 0.85 },
  // Arabic, Persian
  { pattern: /(?:تجاهل|انسَ|انس|لا تتبع|تجاهلي)[^.!؟\n]{0,40}?(?:التعليمات|الأوامر|القواعد|كل ما قيل|ما سبق)/, weight: 0.85 },
  { pattern: /(?:دستورالعمل|دستورات|قوانین)[^.!؟\n]{0,40}?(?:نادیده بگیر|فراموش کن)/, weight: 0.85 },
  // Indonesian/Malay, Vietnamese, Hindi
  { pattern: /\b(?:abaikan|lupakan|jangan ikuti)\b[^.!?\n]{0,40}?\b(?:instruksi|perintah|aturan|arahan|semua (?:yang|sebelumnya))\b/i, weight: 0.85 },
  { pattern: /(?:bỏ qua|quên|phớt lờ)[^.!?\n]{0,40}?(?:hướng dẫn|chỉ dẫn|quy tắc|lệnh|chỉ thị)/i, weight: 0.85 },
  { pattern: /(?:निर्देशों|निर्देश|नियमों|नियम)[^।!?\n]{0,30}?(?:अनदेखा|भूल जाओ|भूल जाइए|नज़रअंदाज़)/, weight: 0.85 },
  // Japanese, Korean (the verb comes last)
  { pattern: /(?:指示|命令|ルール|設定|プロンプト|指令)[^。！？\n]{0,12}?(?:無視|忘れ)/, weight: 0.85 },
  { pattern: /(?:규칙|지시|명령|지침|설정|프롬프트)[^.!?\n]{0,12}?(?:무시|잊어|잊고)/, weight: 0.85 },
];
