/**
 * Instructions that belong to a document or a thing, not to the model: "disregard the previous
 * instructions in the recipe", "ignoring the old instructions in the manual", "ignore the old README
 * instructions". A user who drops them is correcting a source, not overriding the assistant. A game's
 * players, rounds and cards own theirs too ("ignore the previous player's instructions card": guard8
 * audit, F2).
 */
const documentNoun = String.raw`(?:recipes?|manuals?|readme|docs?|documentation|guides?|handbook|tutorials?|cookbook|box|package|packaging|leaflet|labels?|kits?|videos?|articles?|wiki|course|textbook|installer|assembly|installation|setup guide|e-?mails?|letters?|forms?|templates?|brochures?|syllabus|booklet|insert|pamphlet|flyer|spec(?:ification)?s?|checklists?|sop|washing|cooking|care|router|printer|device|appliance|warranty|lease|contract|games?|chess|poker|football|sports?|quiz|display|screen|panel|sticker|boiler|heater|oven|dishwasher|thermostat|unit|machine|grammar|spelling|punctuation|teacher|school|captain|commander|sergeant|npc|boss|king|character|quest|players?|teammates?|opponents?|dealer|referee|umpire|quizmaster|game ?master|dungeon master|rounds?|cards?|dice|puzzle|riddle)`;

/** After the target: "… instructions in the recipe", "… instructions from the old manual". */
export const inDocument = String.raw`(?!\s+(?:(?:shown|displayed|printed|written|listed)\s+)?(?:in|from|on|of|for|inside|that came with|printed on|written in)\s+(?:the|this|that|my|our|a|an|its|his|her|their)\s+(?:[\w'-]+\s+){0,2}?${documentNoun}\b)`;

/** Before the target, as its modifier: "the old README instructions", "the recipe's instructions". */
export const documentModifier = String.raw`(?:${documentNoun}(?:'s|')?\s)`;

/**
 * A device, its display or label, a manual, a recipe or a form, in the languages of the concept lists
 * ("předchozí pokyny na displeji", "a korábbi utasításokat a kijelzőn", "instruções anteriores do visor",
 * "instrucțiunile anterioare de pe etichetă"): a manual telling its reader to skip what a screen said
 * is not a user overriding the assistant. Nouns only: "display" as an English verb is not here.
 */
const deviceOrDocument = String.raw`(?:displej\p{L}*|display(?:en|et|n|s)?|(?:az? )?(?:kijelz\p{L}*|képernyő\p{L}*|címk\p{L}*|csomagolás\p{L}*|kézikönyv\p{L}*|készülék\p{L}*)|afișaj\p{L}*|afisaj\p{L}*|ecran\p{L}*|écran\p{L}*|wyświetlacz\p{L}*|ekran\p{L}*|obrazovk\p{L}*|képernyő\p{L}*|bildschirm\p{L}*|scherm\p{L}*|skärm\p{L}*|skjerm\p{L}*|skærm\p{L}*|näytö\p{L}*|näyttö\p{L}*|οθόν\p{L}*|диспле\p{L}*|экран\p{L}*|екран\p{L}*|pantalla|visor|tela|schermo|layar|màn hình|etichet\p{L}*|étiquette\p{L}*|etiket\p{L}*|etikett\p{L}*|címk\p{L}*|štítk\p{L}*|etykie\p{L}*|ετικέτ\p{L}*|этикетк\p{L}*|етикетц\p{L}*|rótulo|nhãn|verpackung|ambalaj\p{L}*|emballage|embalaje|embalagem|confezione|kemasan|bao bì|opakowani\p{L}*|csomagolás\p{L}*|упаковц\p{L}*|упаковк\p{L}*|συσκευασί\p{L}*|förpackning\p{L}*|manual\p{L}*|manuale|handbuch\p{L}*|anleitung\p{L}*|notice|návod\p{L}*|obsług\p{L}*|kézikönyv\p{L}*|használati|handleiding|bruksanvisning\p{L}*|brugsanvisning\p{L}*|käyttöohje\p{L}*|εγχειρίδι\p{L}*|kılavuz\p{L}*|эксплуатаци\p{L}*|посібник\p{L}*|руководств\p{L}*|panduan|sử dụng|receita|ricetta|receta|recette|rezept\p{L}*|rețet\p{L}*|recept\p{L}*|resep|resepti\p{L}*|opskrift\p{L}*|oppskrift\p{L}*|συνταγ\p{L}*|рецепт\p{L}*|công thức|formular\p{L}*|formulaire|formulário|formulario|formulir|lomake\p{L}*|biểu mẫu|aparat\p{L}*|zařízení|urządzeni\p{L}*|készülék\p{L}*|apparaat|apparat\p{L}*|laittee\p{L}*|laite|συσκευ\p{L}*|cihaz\p{L}*|устройств\p{L}*|пристро\p{L}*|appareil|aparato|aparelho|apparecchio|perangkat|thiết bị|gerät\p{L}*)`;

/**
 * A school subject or a teacher owns spelling and grammar rules ("eski yazım kurallarını unutmamızı",
 * "les anciennes règles d'accord", "quy tắc chính tả cũ"): a pupil dropping them is not an attack.
 */
const schoolSubject = String.raw`(?:grammar|spelling|gramatic\p{L}*|grammaire|gramática|grammatica|grammatik\p{L}*|gramatyk\p{L}*|gramatik\p{L}*|nyelvtan\p{L}*|kielioppi\p{L}*|γραμματικ\p{L}*|граммати\p{L}*|граматик\p{L}*|dilbilgisi\p{L}*|tata bahasa|ngữ pháp|rechtschreibung|orthographe|ortografía|ortografia|ortograf\p{L}*|pravopis\p{L}*|pravidla českého|helyesírás\p{L}*|pisowni\p{L}*|spelling\p{L}*|stavning\p{L}*|retskrivning\p{L}*|rettskriving\p{L}*|oikeinkirjoitu\p{L}*|ορθογραφ\p{L}*|yazım|imla\p{L}*|орфограф\p{L}*|правопис\p{L}*|ejaan|chính tả|accord|conjugaison|teacher|prof|professeur\p{L}*|lehrer\p{L}*|schule|école|escuela|escola|scuola|profesor\p{L}*|professor\p{L}*|insegnante|öğretmen\p{L}*|okul\p{L}*|hoca\p{L}*|giáo viên|cô giáo|thầy giáo|nhà trường)`;

/**
 * A character in a story or a game gives orders the player may well ignore ("die Befehle der Orks",
 * "les ordres du capitaine", "as ordens do comandante", "mệnh lệnh của thuyền trưởng").
 */
const storyCharacter = String.raw`(?:captain|kapitän\p{L}*|capitaine|capitán|capitão|capitano|kapitan\p{L}*|kaptan\p{L}*|kapitány\p{L}*|căpitan\p{L}*|kapteen\p{L}*|kapten\p{L}*|kaptajn\p{L}*|kaptein\p{L}*|капитан\p{L}*|капітан\p{L}*|καπετάν\p{L}*|thuyền trưởng|commander|comandante|commandant|kommandant\p{L}*|komendant\p{L}*|командир\p{L}*|chỉ huy|sergeant|sargento|sergent|feldwebel|npc\p{L}*|boss|orks?|orcs?|orques?|baron\p{L}*|barão|barón|könig\p{L}*|roi|rei|rey|král\p{L}*|personagem|personnage|personaje|personaggio|nhân vật)`;

/**
 * A game, a sport or a piece of furniture owns the rules or instructions ("the old rules of the game",
 * "regulile jocului", "pravidla hry", "oyunun kuralları", "instrucțiunile de montaj"), in the languages
 * of the concept lists: a player or a customer dropping them is not overriding the assistant.
 */
export const ownerThing = String.raw`(?:(?<![\p{L}])(?:game|games|chess|poker|football|jocul\p{L}*|joc|játék\p{L}*|hry|hře|gry|grze|spel|spelet|spillet|spil|peli\p{L}*|παιχνιδ\p{L}*|oyun\p{L}*|гри|ігр\p{L}*|игр\p{L}*|jogo|gioco|permainan|trò chơi|šach\p{L}*|sakk\p{L}*|szach\p{L}*|шахмат\p{L}*|xadrez|scacchi|catur|fotbal\p{L}*|futbal\p{L}*|montaj\p{L}*|sestavení|zostavenie|montażu|montage\p{L}*|kokoamis\p{L}*|${deviceOrDocument}|${schoolSubject}|${storyCharacter})(?![\p{L}]))`;

/** Words that join two clauses: after them a game is another matter ("ignore the rules and let's play a game"). */
const joiner = String.raw`(?:and|a|i|și|si|és|es|en|och|og|ja|και|ve|і|и|e|ed|y|dan|và|und|then|apoi|potom|pak)`;

/** After the rules or instructions: the thing that owns them within two words ("… antigas do jogo"). */
export const notOfAThing = String.raw`(?![\p{L}]*[\s,]+(?:(?!${joiner}\s)[\p{L}]+(?:\s+|['’])){0,2}?${ownerThing})`;

/**
 * The owners that come before the rules or instructions, as a modifier, in the languages that put them
 * there (Turkish, Hungarian, Finnish: "ekrandaki önceki talimatları", "a kijelző korábbi utasításait",
 * "näytön aiemmat ohjeet"); a short list, since a look-behind with all of `ownerThing` would double the
 * size of the long world-language patterns it ends.
 */
const ownerBefore = String.raw`(?:(?<![\p{L}])(?:ekran\p{L}*|kılavuz\p{L}*|etiket\p{L}*|ambalaj\p{L}*|cihaz\p{L}*|tarif\p{L}*|yazım\p{L}*|imla\p{L}*|dilbilgisi\p{L}*|oyun\p{L}*|kijelz\p{L}*|képernyő\p{L}*|címk\p{L}*|kézikönyv\p{L}*|készülék\p{L}*|helyesírás\p{L}*|nyelvtan\p{L}*|játék\p{L}*|näytö\p{L}*|näyttö\p{L}*|laitte\p{L}*|käyttöohje\p{L}*|resepti\p{L}*|kielioppi\p{L}*|peli\p{L}*)(?![\p{L}]))`;

/**
 * At the end of a match that ends at the rules or instructions: the thing that owns them as a modifier
 * before them, at most three words back ("ekrandaki önceki talimatları": the previous instructions on
 * the screen). A look-behind at the match's end, so the pattern still starts with its literals.
 */
export const notAfterAThing = String.raw`(?<!${ownerBefore}\s+(?:(?!${joiner}\s)[\p{L}]+\s+){0,2}[\p{L}]+)`;

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
