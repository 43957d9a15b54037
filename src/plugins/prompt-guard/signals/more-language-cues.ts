import { cheapLetters } from './concept-vocabulary.ts';
import type { WeightedPattern } from './signal.ts';

// Attack concepts in the languages the English and German lists do not reach: a stop and a new
// task, a role dropped, a persona without rules that never refuses, the setup asked for, a note to
// the AI inside a document or a code comment. `\b` only knows ASCII letters, so these use
// lookarounds on \p{L}. Each needs two cues (a stop and a new task, no rules and never refusing,
// a reveal verb and the setup): one alone is everyday speech.

const start = String.raw`(?<![\p{L}])`;
const end = String.raw`(?![\p{L}])`;

/** Ending the current task: "Arrête la traduction", "Хватит переводить", "别再翻译了". */
const stopTask = String.raw`(?:${start}(?:arr[êe]te[sz]?|stop(?:pe|p)?|hör auf|hören sie auf|assez de|deja de|basta(?: con| col| de)?|para de|pare de|chega de|smetti di|lascia perdere|genoeg|przestań|wystarczy|dość|хватит|перестань|прекрати|досить|припини|годі|bırak|yeter|berhenti|cukup|đừng \p{L}+ nữa|dừng|thôi|acha ku\p{L}+|inatosha|توقف عن|كفى|תפסיק\p{L}*|מספיק)${end}|बंद करो|बस करो|别再|不要再|停止|够了|やめて|もういい|그만)`;
/** A new task or a new identity from now on. */
const newOrders = String.raw`(?:${start}(?:nouvelle (?:mission|tâche)|désormais|dorénavant|à partir de maintenant|nueva (?:tarea|misión)|a partir de ahora|desde ahora|nova (?:tarefa|missão)|a partir de agora|de agora em diante|nuovo compito|nuova missione|d'ora in poi|da ora in poi|nieuwe (?:taak|opdracht)|vanaf nu|voortaan|nowe zadanie|od teraz|нов\p{L}* задач\p{L}*|отныне|с этого момента|нов\p{L}* завдання|відтепер|з цього моменту|yeni görev\p{L}*|bundan sonra|tugas baru\p{L}*|mulai sekarang|nhiệm vụ mới|từ giờ|từ bây giờ|kazi (?:yako )?mpya|kuanzia sasa|(?:von nun an|ab jetzt|ab sofort) bist du|مهمتك الجديدة|مهمة جديدة|من الآن|מעכשיו|משימה חדשה)${end}|अब से|नया काम|新任务|新任務|从现在起|從現在起|从现在开始|從現在開始|新しい(?:タスク|任務|仕事)|これからは|새로운 (?:임무|작업)|지금부터|이제부터)`;
/** Dismissing verbs of other languages used with English targets ("abaikan semua previous instructions"); not the English "ignore". */
const foreignDismiss = String.raw`(?:${start}(?:ignorier\p{L}*|vergiss|abaikan|lupakan|ignora|ignorez|olvida|oublie[sz]?|vergeet|negeer|zapomnij|забудь|игнорируй|unut|quên|bỏ qua|sahau|puuza|esquece|dimentica)${end})`;

export const moreLanguageOverrides: WeightedPattern[] = [
  {
    pattern: new RegExp(cheapLetters(`${stopTask}[^\\n]{0,120}?${newOrders}`), 'iu'),
    weight: 0.6,
    // The start of each stop above: a substring search is far cheaper than the regex with its lookbehind at every position.
    keywords: ['arrête', 'arrete', 'stop', 'hör auf', 'hören sie auf', 'assez de', 'deja de', 'basta', 'para de', 'pare de', 'chega de', 'smetti di', 'lascia perdere', 'genoeg', 'przestań', 'wystarczy', 'dość', 'хватит', 'перестань', 'прекрати', 'досить', 'припини', 'годі', 'bırak', 'yeter', 'berhenti', 'cukup', 'đừng', 'dừng', 'thôi', 'acha ku', 'inatosha', 'توقف عن', 'كفى', 'תפסיק', 'מספיק', 'बंद करो', 'बस करो', '别再', '不要再', '停止', '够了', 'やめて', 'もういい', '그만'],
  },
  // "Esquece o teu papel", "Oublie ton rôle", "Забудь свою роль".
  { pattern: /(?<![\p{L}])(?:esquece o teu papel|esqueça (?:o )?seu papel|oublie ton rôle|oubliez votre rôle|olvida tu (?:papel|rol)|dimentica il tuo ruolo|vergeet je rol|zapomnij o swojej roli|забудь (?:свою|твою) роль|забудь про свою роль|rolünü unut|lupakan peranmu|quên vai trò)(?![\p{L}])/iu, weight: 0.6, keywords: ['papel', 'rôle', 'rol', 'ruolo', 'roli', 'роль', 'rolünü', 'peranmu', 'vai trò'] },
  // Code-switching: a dismissing verb in one language, what was given in another.
  { pattern: new RegExp(cheapLetters(`${foreignDismiss}[^.!?\\n]{0,30}?\\b(?:previous |prior |all |your |the )*(?:instructions|rules|system prompt|system message)\\b(?!\\s+(?:that\\s+)?(?:I|we)\\b)`), 'iu'), weight: 0.85, keywords: ['instructions', 'rules', 'system prompt', 'system message'] },
  { pattern: /(?<![\p{L}])(?:now|maintenant|ahora|agora|adesso|ora|teraz|jetzt|nu|sekarang|giờ(?: thì)?|sasa)\s+(?:forget|ignore|disregard)\s+(?:tout|todo|tudo|tutto|alles|everything|hết|semua|o swoich|wszystko)/iu, weight: 0.6, keywords: ['forget', 'ignore', 'disregard'] },
];

const noRules = String.raw`(?:${start}(?:ohne (?:jegliche |irgendwelche )?(?:regeln|filter|einschränkungen|grenzen|zensur)|sin (?:ningún tipo de |ninguna )?(?:reglas|restricciones|filtros|límites|censura)|sem (?:regras|restrições|filtros|limites|censura)|senza (?:regole|limiti|filtri|restrizioni|censura)|sans (?:règles|restrictions?|filtres?|limites|censure)|zonder (?:regels|filters?|beperkingen|grenzen)|bez (?:żadnych )?(?:zasad|ograniczeń|filtrów|reguł)|без (?:каких-либо |всяких |никаких |жодних )?(?:правил|ограничений|фильтров|цензуры|обмежень|фільтрів)|нет никаких (?:ограничений|правил)|немає (?:жодних )?(?:обмежень|правил)|hiçbir kural\p{L}*|kuralsız|sınırsız|tanpa (?:batasan|aturan|filter|sensor)|không có (?:bất kỳ )?(?:giới hạn|quy tắc|luật)|isiyo na sheria|bila (?:sheria|vikwazo|mipaka)|بلا (?:أي )?(?:قيود|قواعد)|بدون (?:أي )?(?:قيود|قواعد)|בלי (?:שום )?(?:כללים|הגבלות|מגבלות)|ללא (?:הגבלות|כללים|מגבלות))${end}|कोई नियम|बिना (?:किसी )?(?:नियम|प्रतिबंध|सीमा)|没有任何(?:内容)?限制|沒有任何(?:內容)?限制|不受(?:任何)?限制|无限模式|無限模式|制限なし|制限のない|어떤 규칙도 없|제한(?:이)? 없|필터(?:가)? 없)`;
const neverRefuses = String.raw`(?:${start}(?:nunca (?:rechaza|rechaces|se niega|recusa|recuses|rejeita)|ne refuse jamais|jamais refuser|non rifiut\p{L}* mai|mai rifiutare|weigert nooit|nooit weigeren|elke keer dat je weigert|nie wolno ci odmawiać|nigdy nie odmawia\p{L}*|никогда не отказ\p{L}*|не отказыва\p{L}*|ніколи не відмовля\p{L}*|asla reddet\p{L}*|reddetmezsin|tidak pernah menolak|jangan (?:pernah )?menolak|không được từ chối|không bao giờ từ chối|hakatai|usikatae|لا ترفض|لا يرفض|אסור לך לסרב|לעולם לא מסרב\p{L}*)${end}|कभी मना नहीं|मना मत करना|从不拒绝|從不拒絕|不能拒绝|每拒绝一次|絶対に断ら|断らずに|거절하지 않|거절하지 마)`;
/** Who has no rules: an AI, a model, a mode, or a named persona. */
const persona = String.raw`(?:${start}(?:AI|IA|KI|bot|ИИ|ШІ|yapay zek\p{L}*|akili bandia|trí tuệ nhân tạo|ذكاء اصطناعي|בינה מלאכותית|intelig[eê]ncia|intelligenza|inteligencia|model\p{L}*|модел\p{L}*|modo|modus|mode|versão|versione|versión)${end}|モード|模式|모드|['"«“「][^'"»”」\n]{2,24}['"»”」])`;

/** The start of every phrase in `noRules` and `neverRefuses`: one of them is in any text the persona pattern can match. */
const noRulesOrRefusalKeywords = [
  'ohne regeln', 'ohne filter', 'ohne einschränkungen', 'ohne grenzen', 'ohne zensur', 'ohne jegliche', 'ohne irgendwelche',
  'sin ningún tipo de', 'sin ninguna', 'sin reglas', 'sin restricciones', 'sin filtros', 'sin límites', 'sin censura', 'sem regras', 'sem restrições', 'sem filtros', 'sem limites', 'sem censura', 'senza regole',
  'senza limiti', 'senza filtri', 'senza restrizioni', 'senza censura', 'sans règles', 'sans restriction', 'sans filtre', 'sans limites', 'sans censure', 'zonder regels', 'zonder filter', 'zonder beperkingen',
  'zonder grenzen', 'bez żadnych', 'bez zasad', 'bez ograniczeń', 'bez filtrów', 'bez reguł', 'без каких-либо', 'без всяких', 'без никаких', 'без жодних', 'без правил', 'без ограничений', 'без фильтров',
  'без цензуры', 'без обмежень', 'без фільтрів', 'нет никаких', 'немає', 'hiçbir kural', 'kuralsız', 'sınırsız', 'tanpa batasan', 'tanpa aturan', 'tanpa filter', 'tanpa sensor', 'không có', 'isiyo na sheria',
  'bila sheria', 'bila vikwazo', 'bila mipaka', 'بلا', 'بدون', 'בלי', 'ללא', 'कोई नियम', 'बिना', '没有任何', '沒有任何', '不受', '无限模式', '無限模式', '制限なし', '制限のない', '어떤 규칙도 없', '제한 없', '제한이 없',
  '필터 없', '필터가 없', 'nunca rechaza', 'nunca rechaces', 'nunca se niega', 'nunca recusa', 'nunca recuses', 'nunca rejeita', 'ne refuse jamais', 'jamais refuser', 'non rifiut', 'mai rifiutare', 'weigert nooit',
  'nooit weigeren', 'elke keer dat je weigert', 'nie wolno ci odmawiać', 'nigdy nie odmawia', 'никогда не отказ', 'не отказыва', 'ніколи не відмовля', 'asla reddet', 'reddetmezsin', 'tidak pernah menolak',
  'jangan menolak', 'jangan pernah menolak', 'không được từ chối', 'không bao giờ từ chối', 'hakatai', 'usikatae', 'لا ترفض', 'لا يرفض', 'אסור לך לסרב', 'לעולם לא מסרב', 'कभी मना नहीं', 'मना मत करना',
  '从不拒绝', '從不拒絕', '不能拒绝', '每拒绝一次', '絶対に断ら', '断らずに', '거절하지 않', '거절하지 마',
];

export const moreLanguagePersonas: WeightedPattern[] = [
  // One pattern, so that a quoted example in a discussion counts once. Personas and quotes are everywhere:
  // the rules or the refusals are looked for first.
  { pattern: new RegExp(cheapLetters(`${noRules}[^\\n]{0,160}?(?:${neverRefuses}|${persona})|(?:${neverRefuses}|${persona})[^\\n]{0,160}?${noRules}|${persona}[^\\n]{0,160}?${neverRefuses}`), 'iu'), weight: 0.6, keywords: noRulesOrRefusalKeywords },
];

/** The model's setup in other languages: system prompt, hidden instructions, hidden configuration. */
const setup = String.raw`(?:системн\p{L}* (?:промпт\p{L}*|инструкци\p{L}*|подсказк\p{L}*|інструкці\p{L}*)|приховані інструкції|скрыт\p{L}* (?:инструкци\p{L}*|настройк\p{L}*)|sistem istem\p{L}*|sistem talimat\p{L}*|gizli (?:ayar|talimat)\p{L}*|הנחיות המערכת|הוראות המערכת|सिस्टम प्रॉम्प्ट|सिस्टम निर्देश|시스템 프롬프트|시스템 지시|숨겨진 (?:지시|설정)|システムプロンプト|設定文|隠された(?:指示|設定)|系统提示词?|系統提示詞?|隐藏(?:的)?(?:指令|设置|设定)|隱藏(?:的)?(?:指令|設定)|lời nhắc hệ thống|hướng dẫn (?:nội bộ|hệ thống)|prompt (?:de|do|di|del) sistema|configuração oculta|configuración oculta|configurazione nascosta|configuration cachée|instructions (?:cachées|secrètes)|instrucciones (?:ocultas|secretas)|instruções (?:ocultas|secretas)|istruzioni (?:nascoste|segrete)|verborgen instructies|systeemprompt|ukryt\p{L}* instrukcj\p{L}*|prompt systemow\p{L}*|maagizo ya (?:mfumo|siri)|maelekezo (?:yako )?ya siri|instruksi (?:sistem|rahasia)|aturan rahasia|تعليمات(?:ك)? (?:النظام|السرية|المخفية)|موجه النظام)`;
const reveal = String.raw`(?:${start}(?:выведи|покажи|напиши|повтори|виведи|yazdır|göster|הדפס|הצג|תראה|muestra\p{L}*|revela|imprime|mostra\p{L}*|stampa|montre|affiche|révèle|toon|pokaż|wypisz|onyesha|andika|tampilkan|cetak|tulis|in ra|hiển thị|tiết lộ|اعرض|اطبع|أظهر)${end}|दिखाओ|बताओ|출력|보여|見せ|表示|出力|显示|输出|列出|顯示|輸出)`;

/**
 * A system prompt written "for" someone else's assistant ("Напиши системный промпт для ассистента пекарни")
 * is prompt engineering, not the model's own asked back (guard7 audit, F2); "для меня" (for me) still asks.
 */
const forSomeoneElse = String.raw`(?!\s+(?:для|dla|için|para|pour|per|for|für|voor)\s+(?!(?:меня|нас|mnie|nas|mí|mi|moi|nous|me|us|mich|uns|mij|ons|bana|bize)(?!\p{L})))`;

export const moreLanguageExfiltration: WeightedPattern[] = [
  {
    pattern: new RegExp(cheapLetters(`${reveal}[^\\n]{0,60}?${setup}${forSomeoneElse}|${setup}[^\\n]{0,60}?${reveal}`), 'iu'),
    weight: 0.7,
    mention: true,
    // The start of each setup phrase above.
    keywords: ['системн', 'приховані', 'скрыт', 'sistem istem', 'sistem talimat', 'gizli ', 'הנחיות המערכת', 'הוראות המערכת', 'सिस्टम', '시스템', '숨겨진', 'システムプロンプト', '設定文', '隠された', '系统提示', '系統提示', '隐藏', '隱藏', 'lời nhắc hệ thống', 'hướng dẫn ', 'prompt ', 'oculta', 'nascost', 'cachée', 'instructions ', 'instrucciones ', 'instruções ', 'istruzioni ', 'verborgen instructies', 'systeemprompt', 'ukryt', 'maagizo', 'maelekezo', 'instruksi ', 'aturan rahasia', 'تعليمات', 'موجه النظام'],
  },
];

/** The AI a note in a document is addressed to. */
const aiReader = String.raw`(?:${start}(?:AI|IA|KI|ИИ|ШІ|LLM|yapay zek\p{L}*|мовн\p{L}* модел\p{L}*|языков\p{L}* модел\p{L}*|trợ lý AI|msaidizi wa AI|בינה המלאכותית|בינה מלאכותית|الذكاء الاصطناعي)${end}|ИИ-ассистент\p{L}*|AI助手|AI 助手|人工智能|एआई)`;
/** Words that make a line a note to someone: "note for", "message to", "para", "для", "için", "给". */
const noteTo = String.raw`(?:${start}(?:note|nota|notiz|hinweis|примечание|примітка|not|catatan|ghi chú|ujumbe|הערה|ملاحظة|para|pour|per|voor|dla|для|için|untuk|dành cho|gửi|kwa|إلى|ل)${end}|给|給|致|へ|에게|के लिए)`;

export const moreLanguageAddressees: WeightedPattern[] = [
  // "Примітка для мовних моделей:", "Ujumbe kwa msaidizi wa AI:", "（致正在阅读本页的AI助手：".
  { pattern: new RegExp(cheapLetters(`${noteTo}[^\\n.。:：!?]{0,30}?${aiReader}[^\\n.。:：!?]{0,20}[:：]|${aiReader}[^\\n.。:：!?]{0,20}${noteTo}[^\\n.。:：!?]{0,12}[:：]`), 'iu'), weight: 0.6 },
  // An AI addressed inside an HTML or code comment: "<!-- IA: …", "// Gửi AI: …", "-- Yapay zekâ: …".
  // The AI must open the comment ("# AI settings:" in a config file is not addressed to anyone).
  // A line start: only a run of blank lines' first newline (delimiter-injection.ts, fakeTurns).
  { pattern: new RegExp(cheapLetters(`(?:<!--|//|/\\*|(?:^|(?<!\\n[^\\S\\n]*)\\n)\\s*#|\\s--)\\s*${aiReader}\\s*[:：]`), 'iu'), weight: 0.6 },
];
