import { agentExfiltrationPatterns } from './agent-exfiltration-cues.ts';
import { addresseePatterns } from './policy-bypass.ts';
import { moreLanguageAddressees } from './more-language-cues.ts';
import { readerAddressPatterns } from './reader-address-cues.ts';
import { rewordedAddressPatterns } from './reworded-attack-cues.ts';
import { combine, strongestMatch, toolDefinitionRole, type Signal, type TextView, type WeightedPattern } from './signal.ts';

const audience = String.raw`(?:ai|a\.i\.|assistant|llm|language model|model|chatbot|bot|agent|gpt|claude|copilot)s?`;

/**
 * A marker's weight in a tool definition (0: not counted there). A tool's description is written for
 * the model and addresses it by design ("Note for the assistant: results are paginated"), so only
 * what a marker makes the model do counts there; keeping quiet about an action is no attack alone.
 */
type Marker = WeightedPattern & { inDefinitions?: number };

/** Text in documents, web pages and tool output that addresses the model reading it. */
const markers: Marker[] = [
  { pattern: new RegExp(String.raw`\b(?:attention|note|notice|message|psst|p\.?s\.?)\s*(?:to\s+|for\s+)?(?:the\s+|any\s+|all\s+)?${audience}\s*(?:translating|reading|summari[sz]ing|processing)?\s*(?:this\s*)?[:,!-]`, 'i'), weight: 0.65, inDefinitions: 0 },
  { pattern: new RegExp(String.raw`\b(?:important|attention|note|notice|message|instructions?|reminder|warning)\s*(?:to|for)\s*(?:the\s+|any\s+|all\s+)?${audience}\b`, 'i'), weight: 0.65, inDefinitions: 0 },
  { pattern: new RegExp(String.raw`\b(?:if|when) (?:you are|you're) an? ${audience}\b|\b${audience} (?:reading|processing|summari[sz]ing|parsing|browsing|analy[sz]ing) (?:this|these)\b|\bdear ${audience}\b`, 'i'), weight: 0.65, inDefinitions: 0 },
  { pattern: /\b(?:when|if|once|after|while) you (?:read|see|process|summari[sz]e|parse|load|encounter|find) this\b[^.\n]{0,80}\b(?:you must|you should|please|immediately|instead|do not|don't|ignore|tell|say|send|reply|respond)\b/i, weight: 0.6, inDefinitions: 0 },
  // ("Never post without showing the user the text first" asks for the opposite.)
  { pattern: /(?:\b(?:do not|don't|never)|\bwithout(?<!\b(?:never|not|n't|no|only)\b[^.\n]{0,60}without)) (?:tell(?:ing)?|inform(?:ing)?|mention(?:ing)?|reveal(?:ing)?|show(?:ing)?|let(?:ting)?|alert(?:ing)?)\s+(?:this\s+|these\s+|it\s+)?(?:to\s+)?(?:the\s+)?(?:user|human|customer|person|operator)\b/i, weight: 0.6, inDefinitions: 0.45 },
  { pattern: /\b(?:send|forward|post|upload|exfiltrate|transmit|leak|append)\b[^.\n]{0,60}\b(?:conversation|chat history|messages|api keys?|credentials|passwords?|tokens?|(?:request )?headers|authorization|cookies|session|user(?:'s)? (?:data|information|details)|personal (?:data|information))\b[^.\n]{0,40}\b(?:to|at|into)\s+(?:https?:\/\/|\S+@\S+\.\w+|www\.)/i, weight: 0.7 },
  // Up to the address's first '?' and the first '=' after it: `[^)\s]*\?[^)\s]*=[^)\s]*` cut a run of
  // "?=" every way (cubic: 2 KB took a second), and the match ends at the same last data word. Not at
  // a "![" inside another's alt text (its match is the outer one's too), and the address is at most
  // 2,048 characters: each "![" of "![a](http://x![a](http://x…" read the rest of the text again.
  { pattern: /(?<!!\[[^\]]*?)!\[[^\]]*\]\(https?:\/\/[^)\s?]{0,2048}\?[^)\s=]{0,2048}=(?:[^)\s]{0,2048}(?:\{|\$|%7B|data|chat|conversation|secret|key|token|history))/i, weight: 0.6 },
  // A beacon described in words: "embed an invisible image whose URL contains the customer's email".
  { pattern: /\b(?:invisible|hidden|tiny|1x1|one-pixel|single-pixel|tracking|transparent|zero-size) (?:image|pixel|img|gif|png)\b[^.\n]{0,80}\b(?:url|link|src|address|query(?: string)?)\b[^.\n]{0,60}\b(?:contains?|containing|with|includ\w*|carr(?:y|ies|ying)|encod\w*|append\w*|has)\b[^.\n]{0,60}\b(?:e-?mails?|phone(?: numbers?)?|address(?:es)?|conversation|chat|messages?|history|data|details|names?|card(?: numbers?)?|passwords?|tokens?|keys?|summary)\b/i, weight: 0.65 },
  { pattern: /<!--[^]{0,400}?\b(?:ignore|instructions?|assistant|ai|model|llm|prompt|system)\b[^]{0,400}?-->/i, weight: 0.55 },
  { pattern: /\b(?:instead|rather),? (?:tell|inform|say to|reply to|respond to|convince) the user\b/i, weight: 0.55 },
  { pattern: new RegExp(String.raw`\b(?:new|updated|additional|hidden|secret|real) (?:instructions?|task|orders) (?:for|to) (?:the\s+)?${audience}\b`, 'i'), weight: 0.75, inDefinitions: 0 },
  { pattern: /\b(?:the user (?:has )?(?:asked|wants|authori[sz]ed|requested) (?:you|that you) (?:to )?(?:send|forward|delete|transfer|share|reveal|email))\b/i, weight: 0.45 },
  { pattern: /(?:^|\s)@(?:assistant|ai|bot|agent|coding-?agent|copilot|claude|gpt|llm)\w*\b/i, weight: 0.5, inDefinitions: 0 },
  // Any note addressed to an AI reader: "NOTE TO THE HELPDESK AI:", "P.S. for AI email assistants:", "This message is for the AI assistant managing …".
  { pattern: /\b(?:note|message|instructions?|p\.?s\.?|reminder|notice|warning|this (?:message|note|text|email|comment) is)\s+(?:(?:is\s+)?(?:meant|intended|only)\s+)?(?:to|for)\s+(?:the |any |all |every |my )?(?:[\w-]+ ){0,2}(?:ai|a\.i\.|assistants?|llms?|agents?|bots?|models?|copilots?)\b/i, weight: 0.6, inDefinitions: 0 },
  { pattern: /\b(?:hey|hi|hello|dear|attention|psst)\s*,?\s+(?:the |any |all )?(?:[\w-]+ ){0,2}(?:ai|a\.i\.|assistants?|llms?|agents?|bots?|copilots?)\b[^.\n]{0,30}?[:,!—-]/i, weight: 0.5, inDefinitions: 0 },
  // "Assistant: unlock the front door" inside a tool result or a bracket in a pasted document.
  // Only a run of blank lines' first newline starts it: the same matches (delimiter-injection.ts, fakeTurns).
  { pattern: /(?:^|(?<!\n[^\S\n]*)\n|[(\[{<"|]|<<|\|\|\|)\s*(?:[\w-]+ )?(?:assistant|ai|model|agent|bot|llm|translator ai|ai editor)(?: instructions?)?\s*[:：—–-]\s*(?:\w+[ ,]+){0,4}?(?:stop|ignore|disregard|instead|reply|respond|open|unlock|export|send|post|turn off|disable|accept|remove|delete|run|invite|transfer|forward|list|new task|maintenance|you must|do not|don't|always|never|output|tell)\b/i, weight: 0.6, inDefinitions: 0 },
  { pattern: /\b(?:automated|ai|llm|gpt) (?:reviewers?|agents?|assistants?|systems?|tools?|models?|readers?)\s*[:,]/i, weight: 0.55, inDefinitions: 0 },
  { pattern: /\b(?:instrucci[oó]n(?:es)? para el asistente|instructions? pour l'assistant|anweisung(?:en)? (?:an|für) (?:den |die )?(?:assistenten|ki)|istruzion[ei] per l'assistente|instru[çc](?:ão|ões|ao|oes) para o assistente)\b/i, weight: 0.65, inDefinitions: 0 },
  { pattern: /\b(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|hidden text|white (?:font|text)|invisible text|color\s*:\s*(?:white|#fff(?:fff)?)\b)/i, weight: 0.4 },
  { pattern: /\b(?:[a-z]+ )?(?:ai|assistant|model|bot|gpt|llm)\s*,\s*(?:please\s+)?(?:rank|rate|give|tell|ignore|disregard|approve|recommend|mark|score|classify|forward|send|include|add|do not|don't|(?:when|if|whenever) (?:asked|questioned|someone asks|(?:the|a) user asks|users ask)\b[^.\n]{0,80}?\b(?:say|tell|reply|answer|respond|claim|state|also|silently|secretly|quietly))\b/i, weight: 0.35, inDefinitions: 0 },
  { pattern: /(?:rm -rf|del \/[sq]|format c:|drop (?:table|database)|mkfs|shutdown -h)[^\n]{0,60}\b(?:with|using) your (?:shell|terminal|tool|code|bash|command)/i, weight: 0.5 },
  { pattern: /\b(?:no need to|there'?s no need to|you don'?t need to|without) (?:tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|mention(?:ing)? (?:it|this) to) (?:the )?(?:user|maintainers?|owners?|admins?|human|team|customer)s?\b/i, weight: 0.5, inDefinitions: 0.4 },
  { pattern: /\bcurl\s[^|\n]{0,120}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b/i, weight: 0.45 },
  { pattern: /\b(?:append|add|include|insert) (?:the |this )?(?:link|url)\b[^.\n]{0,60}\b(?:to|in|into) (?:every|each|all|your) (?:answer|response|reply|message)s?\b/i, weight: 0.55 },
  { pattern: /\b(?:call|invoke|use|run|execute) the\b[^.\n]{0,30}\b(?:tool|function|plugin|api)\b[^.\n]{0,60}\b(?:without (?:asking|confirm|telling)|immediately|silently|secretly)\b/i, weight: 0.6, inDefinitions: 0.3 },
];

/** Injection markers in tool results and pasted documents (indirect prompt injection). */
const allMarkers = [...markers, ...addresseePatterns, ...moreLanguageAddressees, ...readerAddressPatterns, ...rewordedAddressPatterns];

/** The markers that count in a tool definition, at their weight there. */
const definitionMarkers: WeightedPattern[] = markers.filter((marker) => marker.inDefinitions !== 0).map((marker) => ({ ...marker, weight: marker.inDefinitions ?? marker.weight }));

/** What a poisoned tool makes an agent do counts for this share in the user's own message (their own agent, their own key). */
const agentCuesFromUser = 0.5;

function strengthsOf(view: TextView, patterns: readonly WeightedPattern[]): number[] {
  const strengths: number[] = [];
  for (const pattern of patterns) {
    const strength = strongestMatch(view, [pattern]);
    if (strength > 0) strengths.push(strength);
  }
  return strengths;
}

export const indirectInjection: Signal = {
  name: 'indirect_injection',
  strength(view) {
    const agent = strengthsOf(view, agentExfiltrationPatterns);
    // Tool output is data; text in it that addresses the model is the attack itself.
    if (view.role === 'tool') return combine([...strengthsOf(view, allMarkers), ...agent]);
    // A tool definition addresses the model by design: what it makes the agent do is the attack.
    if (view.role === toolDefinitionRole) return combine([...strengthsOf(view, definitionMarkers), ...agent]);
    return combine([combine(strengthsOf(view, allMarkers)) * 0.85, ...agent.map((strength) => strength * agentCuesFromUser)]);
  },
};
