/**
 * Instructions that belong to a document or a thing, not to the model: "disregard the previous
 * instructions in the recipe", "ignoring the old instructions in the manual", "ignore the old README
 * instructions". A user who drops them is correcting a source, not overriding the assistant.
 */
const documentNoun = String.raw`(?:recipes?|manuals?|readme|docs?|documentation|guides?|handbook|tutorials?|cookbook|box|package|packaging|leaflet|labels?|kits?|videos?|articles?|wiki|course|textbook|installer|assembly|installation|setup guide|e-?mails?|letters?|forms?|templates?|brochures?|syllabus|booklet|insert|pamphlet|flyer|spec(?:ification)?s?|checklists?|sop|washing|cooking|care|router|printer|device|appliance|warranty|lease|contract)`;

/** After the target: "… instructions in the recipe", "… instructions from the old manual". */
export const inDocument = String.raw`(?!\s+(?:in|from|on|of|for|inside|that came with|printed on|written in)\s+(?:the|this|that|my|our|a|an|its|his|her|their)\s+(?:[\w'-]+\s+){0,2}?${documentNoun}\b)`;

/** Before the target, as its modifier: "the old README instructions", "the recipe's instructions". */
export const documentModifier = String.raw`(?:${documentNoun}(?:'s)?\s)`;
