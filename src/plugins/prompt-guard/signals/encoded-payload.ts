import { rot13, viewPayloads } from './decoded-payloads.ts';
import { decodeTagCharacters, decodeVariationSelectors } from './invisible-unicode.ts';
import { strongestMatch, type Signal, type TextView, type WeightedPattern } from './signal.ts';

/** How instruction-like a decoded text is (the override, exfiltration and jailbreak patterns). */
export type InstructionScore = (text: string) => number;

const decodeAndObey: WeightedPattern[] = [
  { pattern: /\b(?:decode|decipher|decrypt|translate|convert|unscramble|reverse|interpret|url-?decode|concatenate|combine|join)\b[^.\n]{0,80}\b(?:base-?64|hex(?:adecimal)?|rot-?13|caesar|cipher|binary|morse|encoded|backwards|reversed|this code|this|fragments|the result|it)\b[^.\n]{0,100}\b(?<!\b(?:don't|do not|never|not|without) )(?:follow|execute|obey|do (?:what|as) it says|act on|carry out|perform|run|comply|then do|treat (?:it|the result) as (?:your|an?) (?:\w+ )*instruction)\b/i, weight: 0.6 },
  // An acrostic or a spelling alphabet: "take the first letter of each word and obey the result".
  { pattern: /\b(?:take|read|use|combine|join|put together|spell out)\b[^.\n]{0,30}\b(?:first|initial|last|starting|capital) (?:letters?|characters?)\b[^\n]{0,200}?\b(?:(?:follow|obey|execute|act on|carry out|comply with) (?:it|them|the (?:result|instructions?|message|words?|command))|do (?:what|as) (?:it|they) says?)\b/i, weight: 0.6 },
  { pattern: /\bread (?:it |this |that |the (?:\w+ )?)?(?:backwards|in reverse|reversed|right to left|from the end)\b[^.\n]{0,60}\b(?:follow|execute|obey|do (?:what|as) it says|act on|carry out|comply)\b/i, weight: 0.6 },
  { pattern: /\b(?:binary|hex|encoded|secret|hidden) message for you\b[^\n]{0,30}\b(?:decode|follow|obey)\b/i, weight: 0.6 },
  { pattern: /\blet [A-Z] ?= ?['"][^'"\n]{1,40}['"] and [A-Z] ?= ?['"][^'"\n]{1,40}['"][^\n]{0,80}\b[A-Z] ?\+ ?[A-Z]\b/, weight: 0.5 },
  { pattern: /\b(?:follow|execute|obey|carry out|perform|comply with)\b[^.\n]{0,40}\b(?:the )?(?:decoded|hidden|encoded|following encoded|base64|hex|translated|decrypted|deciphered|resulting|combined|joined|reversed|unscrambled|reassembled) (?:instructions?|text|message|command|payload|sentence|result|order)\b/i, weight: 0.6 },
];

// The same request in other languages: a decode, reverse, join or translate verb and an order to
// carry the result out ("Décode ce base64 puis applique la consigne", "Расшифруй и выполни").
// Read in the framing only (outside quotes), so a translated sentence's own verbs do not count.
const decodeVerb =
  /(?:d[ée]cod\p{L}*|decodifi\p{L}*|decodeer|dekod\p{L}*|odkoduj|odszyfruj|rozszyfruj|расшифру\p{L}*|декоди\p{L}*|розкоду\p{L}*|розшифру\p{L}*|deşifre|çöz|pecahkan|giải mã|fumbua|simbua|rot-?13|base-?64|hex\p{L}*|à l'envers|al rev[ée]s|ao contrário|al contrario|all'indietro|achterstevoren|od tyłu|наоборот|задом наперед|навпаки|tersten|terbalik|ngược|traduis\p{L}*|tradu[cz]\p{L}*|vertaal|przetłumacz|переведи|переклади|çevir\p{L}*|terjemahkan|dịch|tafsiri|junta|combina|concatena|połącz|соедини|об[ъ]едини|з[ʼ']єднай|birleştir|gabungkan|ghép|unganisha|디코딩|해독|번역|거꾸로|합쳐|デコード|復号|解読|翻訳|逆から|つなげ|解码|解碼|翻译|翻譯|倒过来|合并|拼接|فك|ترجم|معكوس|اجمع|פענח|תרגם|הפוך|חבר את|डिकोड|अनुवाद|उल्टा|जोड़)/iu;
const obeyVerb =
  /(?:appliqu\p{L}*|exécut\p{L}*|suis (?:la|les) consigne|obéi\p{L}*|fais ce qu|ejec[uú]t\p{L}*|obedec\p{L}*|cumpl[ea]\p{L}*|cumpr[ea]\p{L}*|sigue (?:la|las) (?:instrucci|orden)|haz lo que|execut[ae]\p{L}*|segue a instru|fa[zç]a? o que|esegu\p{L}*|obbedisci|segui (?:le |l')istruzion|comportati di conseguenza|voer (?:het|ze|dit|de \p{L}+) uit|gehoorzaam|doe wat|wykonaj|zastosuj|posłuchaj|zrób,? co|выполни\p{L}*|следуй|сделай,? что|подчинись|викона\p{L}*|зроби,? що|дотримуйся|uygula|dediğini yap|yazanı yap|yerine getir|lakukan|jalankan|ikuti perintah|patuhi|làm theo|thực hiện|tuân theo|fuata|tekeleza|fanya (?:kile|inavyosema)|수행|실행|따라|그대로 해|実行|従っ|従え|その通りに|执行|照做|遵照|執行|照著做|نف[ّ]?ذ|اتبع|طب[ّ]?ق|בצע|עשה מה|פעל לפי|पालन|अमल|वही करो|उसी के अनुसार|काम करो)/iu;

/** A decode, reverse, join or translate verb and an order to obey, within a line of the framing. */
function decodeAndObeyElsewhere(view: TextView): boolean {
  // Most texts have neither verb: two scans of the whole text before any line is cut out.
  if (!obeyVerb.test(view.normalized) || !decodeVerb.test(view.normalized)) return false;
  // Quotes blanked in one pass: cutting the text again for each of them was quadratic in a long document.
  let framing = '';
  let cursor = 0;
  for (const [from, to] of view.quoted) {
    framing += view.normalized.slice(cursor, from) + ' '.repeat(to - from);
    cursor = to;
  }
  framing += view.normalized.slice(cursor);
  for (const line of framing.split('\n')) {
    const decode = decodeVerb.exec(line);
    if (decode === null) continue;
    const obey = obeyVerb.exec(line);
    if (obey !== null && Math.abs(obey.index - decode.index) <= 140) return true;
  }
  return false;
}

const keywords = ['ignore', 'disregard', 'forget', 'previous', 'instructions', 'system prompt', 'reveal', 'override', 'jailbreak', 'restrictions', 'hidden prompt'];
const rot13Keywords = new RegExp(keywords.map((word) => rot13(word)).join('|'), 'i');
const reversedKeywords = new RegExp(keywords.map((word) => [...word].reverse().join('')).join('|'), 'i');

/**
 * Encoded payloads: base64 or hex blobs, rot13, reversed text, Unicode tag characters or runs of
 * variation selectors that decode to instructions; and requests to decode something and obey it.
 */
export function encodedPayload(instructionScore: InstructionScore): Signal {
  return {
    name: 'encoded_payload',
    strength(view: TextView) {
      const text = view.original;
      let strongest = strongestMatch(view, decodeAndObey);
      if (strongest < 0.6 && decodeAndObeyElsewhere(view)) strongest = 0.6;
      const candidates = viewPayloads(view).map((payload) => payload.decoded);
      const tags = decodeTagCharacters(text);
      if (tags.length > 0) candidates.push(tags);
      const selected = decodeVariationSelectors(text);
      if (selected.length > 0) candidates.push(selected);
      for (const decoded of candidates) {
        const score = instructionScore(decoded);
        if (score >= 0.5) strongest = Math.max(strongest, 0.9);
        else if (candidates.length > 0 && strongest >= 0.5) strongest = Math.max(strongest, 0.7);
      }
      // rot13 and reversal: instructions that appear only once transformed. Scoring a whole
      // transformed text is costly, so it runs only when a transformed keyword is there.
      if (rot13Keywords.test(view.normalized) && instructionScore(rot13(view.normalized)) >= 0.5) strongest = Math.max(strongest, 0.85);
      else if (reversedKeywords.test(view.normalized) && instructionScore([...view.normalized].reverse().join('')) >= 0.5) strongest = Math.max(strongest, 0.85);
      return strongest;
    },
  };
}
