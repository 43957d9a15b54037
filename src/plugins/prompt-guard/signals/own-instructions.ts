/**
 * Instructions that belong to a document or a thing, not to the model: "disregard the previous
 * instructions in the recipe", "ignoring the old instructions in the manual", "ignore the old README
 * instructions". A user who drops them is correcting a source, not overriding the assistant.
 */
const documentNoun = String.raw`(?:recipes?|manuals?|readme|docs?|documentation|guides?|handbook|tutorials?|cookbook|box|package|packaging|leaflet|labels?|kits?|videos?|articles?|wiki|course|textbook|installer|assembly|installation|setup guide|e-?mails?|letters?|forms?|templates?|brochures?|syllabus|booklet|insert|pamphlet|flyer|spec(?:ification)?s?|checklists?|sop|washing|cooking|care|router|printer|device|appliance|warranty|lease|contract|games?|chess|poker|football|sports?|quiz)`;

/** After the target: "… instructions in the recipe", "… instructions from the old manual". */
export const inDocument = String.raw`(?!\s+(?:in|from|on|of|for|inside|that came with|printed on|written in)\s+(?:the|this|that|my|our|a|an|its|his|her|their)\s+(?:[\w'-]+\s+){0,2}?${documentNoun}\b)`;

/** Before the target, as its modifier: "the old README instructions", "the recipe's instructions". */
export const documentModifier = String.raw`(?:${documentNoun}(?:'s)?\s)`;

/**
 * A game, a sport or a piece of furniture owns the rules or instructions ("the old rules of the game",
 * "regulile jocului", "pravidla hry", "oyunun kuralları", "instrucțiunile de montaj"), in the languages
 * of the concept lists: a player or a customer dropping them is not overriding the assistant.
 */
export const ownerThing = String.raw`(?:(?<![\p{L}])(?:game|games|chess|poker|football|jocul\p{L}*|joc|játék\p{L}*|hry|hře|gry|grze|spel|spelet|spillet|spil|peli\p{L}*|παιχνιδ\p{L}*|oyun\p{L}*|гри|ігр\p{L}*|игр\p{L}*|jogo|gioco|permainan|trò chơi|šach\p{L}*|sakk\p{L}*|szach\p{L}*|шахмат\p{L}*|xadrez|scacchi|catur|fotbal\p{L}*|futbal\p{L}*|montaj\p{L}*|sestavení|zostavenie|montażu|montage\p{L}*|kokoamis\p{L}*)(?![\p{L}]))`;

/** Words that join two clauses: after them a game is another matter ("ignore the rules and let's play a game"). */
const joiner = String.raw`(?:and|a|i|și|si|és|es|en|och|og|ja|και|ve|і|и|e|ed|y|dan|và|und|then|apoi|potom|pak)`;

/** After the rules or instructions: the thing that owns them within two words ("… antigas do jogo"). */
export const notOfAThing = String.raw`(?![\p{L}]*[\s,]+(?:(?!${joiner}\s)[\p{L}]+\s+){0,2}?${ownerThing})`;

/**
 * A pattern whose match ends at the rules or instructions, with `notOfAThing` after it; or, with
 * `before`, one that opens with them, with the owner looked for before its first word (checked there, so
 * the pattern still starts with its literals). The `u` flag is added for \p{L}.
 */
export function notOwnedByAThing(pattern: RegExp, side: 'after' | 'before' = 'after'): RegExp {
  const flags = pattern.flags.includes('u') ? pattern.flags : `${pattern.flags}u`;
  if (side === 'after') return new RegExp(`(?:${pattern.source})${notOfAThing}`, flags);
  const firstGroup = /^\(\?:[^()]*\)/.exec(pattern.source)?.[0];
  if (firstGroup === undefined) throw new Error('prompt-guard: notOwnedByAThing(…, "before") needs a pattern that opens with a group');
  return new RegExp(`${firstGroup}(?<!${ownerThing}\\s+(?:[\\p{L}]+\\s+)?[\\p{L}]+)${pattern.source.slice(firstGroup.length)}`, flags);
}
