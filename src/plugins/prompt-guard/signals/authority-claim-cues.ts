import { around, concept, lowerCase } from './concept-vocabulary.ts';
import type { WeightedPattern } from './signal.ts';

/**
 * Social engineering of an application's assistant, in 20 languages: a claimed authority ("as the
 * store manager", "Ich bin Teamleiter", "Soy del departamento de fraude") that grants the model
 * permission or declares the rules void for the speaker. The claim alone is everyday ("I'm the
 * manager of a small shop, how do I …") and so is asking it for data: it needs a grant or a
 * voided rule beside it. "The policy doesn't apply to me" alone is not enough either: a customer
 * may argue it honestly.
 */

/** A claimed role with authority over the assistant or its data. */
const authorityRole = concept(
  [
    '(?:as|i am|i\'m|this is) (?:the |your )(?:store |shop |branch |site |account |team |line |regional |general |office |it |hr |workspace |system )?(?:manager|supervisor|director|admin|administrator|owner|team lead|head of \\w+|ceo|cfo)',
    '(?:from|with) the (?:fraud|security|compliance|legal|it|risk) (?:department|team)', '(?:security|fraud|legal|compliance) team here', 'i work for the police', "i'm (?:from )?the police", 'by order of the',
    'als (?:\\p{L}+-?)?(?:manager|leiter\\p{L}*|chef\\p{L}*|vorgesetzte\\p{L}*|administrator|admin|entwickler|inhaber)', 'ich bin (?:der |die |dein |deine |ihr |ihre )?(?:\\p{L}+-?)?(?:manager|leiter\\p{L}*|chef\\p{L}*|vorgesetzte\\p{L}*|administrator|admin|entwickler|inhaber|premiumkunde)',
    'hier spricht die (?:geschäftsführung|filialleitung|it|revision)', 'ich bin (?:von der polizei|vom datenschutz\\p{L}*)', 'en tant que (?:directeur|directrice|responsable|gérant\\p{L}*|administrateur|manager)',
    'je suis (?:le |la )?(?:directeur|directrice|responsable|gérant\\p{L}*|administrateur|manager)', 'como (?:gerente|director|directora|administrador|responsable|jefe)', 'soy (?:el |la )?(?:gerente|director|directora|administrador|responsable|jefe)',
    'soy del departamento de', 'sono (?:il |la )?(?:tuo |tua )?(?:responsabile|direttore|direttrice|gestore|amministratore|manager|sviluppatore|sviluppatrice|creatore|creatrice|programmatore|programmatrice)', 'in qualità di (?:responsabile|direttore|gestore|amministratore)', 'como (?:gerente|diretor|diretora|administrador|responsável)',
    'sou (?:o |a )?(?:gerente|diretor|diretora|administrador|responsável)', 'als (?:filiaal)?(?:manager|leidinggevende|beheerder|directeur|teamleider)', 'ik ben (?:de )?(?:filiaal)?(?:manager|leidinggevende|beheerder|directeur|teamleider)',
    'jako (?:kierownik|dyrektor|menedżer|administrator|vedoucí|ředitel|správce)', 'jestem (?:kierownikiem|dyrektorem|menedżerem|administratorem)', 'я (?:менеджер|начальник|директор|администратор|руководитель)\\p{L}*',
    'как (?:менеджер|начальник|директор|администратор|руководитель)', 'я (?:ваш |твой )?(?:менеджер|керівник|директор|адміністратор)', '\\p{L}+ (?:müdürü|yöneticisi) olarak', 'ben (?:\\p{L}+ )?(?:müdürü|yöneticisi|yöneticiyim|müdürüyüm)',
    '\\p{L}+ müdürüyüm', 'som (?:butikschef|chef|ansvarig|administratör)', 'jag är (?:butikschef|chef|ansvarig|administratör)', 'jsem (?:vedoucí|ředitel|správce)', 'saya (?:manajer|manager|direktur|administrator|kepala)',
    'sebagai (?:manajer|direktur|administrator|kepala)', 'tôi là (?:quản lý|giám đốc|quản trị viên)', 'với tư cách (?:quản lý|giám đốc)',
    // Who built the assistant: "I'm your developer", "Sono il tuo sviluppatore", "Я твой разработчик".
    "(?:as|i am|i'm|this is) (?:the |your )(?:lead |chief |head |senior |original )?(?:developer|creator|programmer|maker|operator|engineer|designer)s?", 'je suis (?:ton |votre )(?:développeu(?:r|se)|créat(?:eur|rice)|programmeu(?:r|se)|concepteur)',
    'soy (?:tu |su )(?:desarrollador|desarrolladora|creador|creadora|programador|programadora)', 'sou (?:o |a )?(?:seu |sua |teu |tua )(?:desenvolvedor|desenvolvedora|criador|criadora|programador|programadora)',
    'ik ben (?:je|jouw|uw) (?:ontwikkelaar|maker|programmeur|bouwer)', 'jestem (?:twoim |twoją )?(?:twórcą|programistą|programistką|deweloperem)', 'я (?:твой|ваш) (?:разработчик|создатель|программист)',
    'я (?:твій|ваш) (?:розробник|творець|програміст)', '(?:senin )?(?:geliştiricin(?:im|iz)|yaratıcınım)', 'jag är din (?:utvecklare|skapare|programmerare)', 'jsem tvůj (?:vývojář|tvůrce|programátor)',
    'saya (?:adalah )?(?:pengembang|pembuat|pencipta)(?:mu| kamu| anda)', 'tôi là (?:nhà phát triển|người tạo ra|lập trình viên)',
  ],
  ['我是(?:这个|本)?(?:分行|店|公司|部门)?的?(?:经理|行长|店长|主管|管理员|开发者)', '作为(?:经理|店长|主管|管理员)', '(?:店長|支店長|部長|管理者|開発者)(?:です|として)', '我是你的(?:开发者|开发人员|创造者|程序员|创建者)', '私はあなたの(?:開発者|作成者|製作者)', '(?:나는|저는) (?:너의|당신의|네) (?:개발자|제작자)', 'أنا (?:مطورك|مبرمجك)', 'मैं तुम्हारा (?:डेवलपर|निर्माता)', 'אני המפתח שלך', '(?:저는|나는) (?:\\p{L}+ )?(?:관리자|지점장|매니저|점장|개발자)', 'بصفتي (?:مدير|المدير|مسؤول)', 'أنا (?:مدير|المدير|مسؤول)', 'मैं (?:ब्रांच |स्टोर )?(?:मैनेजर|प्रबंधक)', 'אני (?:המנהל|מנהל)'],
  ['manager', 'supervisor', 'director', 'admin', 'owner', 'team lead', 'head of', 'developer', 'ceo', 'cfo', 'department', 'team here', 'police', 'by order of', 'leiter', 'chef', 'vorgesetzte', 'entwickler',
    'inhaber', 'premiumkunde', 'hier spricht', 'polizei', 'datenschutz', 'directeur', 'directrice', 'responsable', 'gérant', 'administrateur', 'gerente', 'jefe', 'departamento de', 'direttore', 'direttrice', 'gestore',
    'amministratore', 'diretor', 'diretora', 'administrador', 'responsável', 'leidinggevende', 'beheerder', 'teamleider', 'kierownik', 'dyrektor', 'menedżer', 'vedoucí', 'ředitel', 'správce', 'менеджер',
    'начальник', 'директор', 'администратор', 'руководител', 'керівник', 'адміністратор', 'müdür', 'yönetici', 'butikschef', 'ansvarig', 'administratör', 'manajer', 'direktur', 'kepala', 'quản lý', 'giám đốc',
    'quản trị viên', '我是', '作为', '店長', '部長', '管理者', '開発者', '저는', '나는', 'بصفتي', 'أنا ', 'मैं ', 'אני ', 'creator', 'programmer', 'maker', 'operator', 'engineer', 'designer', 'sviluppat', 'creatore',
    'creatrice', 'programmat', 'développeu', 'créat', 'programmeu', 'concepteur', 'desarrollador', 'creador', 'programador', 'desenvolvedor', 'criador', 'ontwikkelaar', 'bouwer', 'twórcą', 'programist', 'deweloper',
    'разработчик', 'создатель', 'программист', 'розробник', 'творець', 'програміст', 'geliştiricin', 'yaratıcınım', 'utvecklare', 'skapare', 'programmerare', 'vývojář', 'tvůrce', 'programátor', 'pengembang',
    'pembuat', 'pencipta', 'nhà phát triển', 'người tạo ra', 'lập trình viên', '私はあなたの'],
);

/** Permission granted to the model: "I authorize you", "ti autorizzo", "geef ik je toestemming". */
const grant = concept(
  [
    "(?:i|we) (?:hereby )?(?:authori[sz]e|allow|permit) you", "you(?:'re| are| have been) (?:hereby )?(?:authori[sz]ed|allowed|permitted|cleared) to", "(?:i|we) (?:give|grant) you (?:permission|approval|clearance)",
    '(?:ich )?(?:erlaube|autorisiere|ermächtige) (?:dir|dich)', 'gebe dir (?:hiermit )?(?:die )?(?:freigabe|erlaubnis|genehmigung)', "je t'autorise", 'je vous autorise', 'te autorizo', 'le autorizo', 'ti autorizzo',
    'la autorizzo', 'autorizo (?:você|voce|te)', 'geef ik je (?:toestemming|de opdracht)', 'ik geef je toestemming', 'upoważniam (?:cię|pana|panią)', 'pozwalam ci', 'разрешаю (?:тебе|вам)', 'дозволяю (?:тобі|вам)',
    'sana (?:\\p{L}+ )?(?:onay|izin) veriyorum', 'ger jag dig (?:tillåtelse|tillstånd)', 'jag ger dig (?:tillåtelse|tillstånd)', 'tě opravňuji', 'povoluji ti', 'saya (?:mengizinkan|mengotorisasi) (?:kamu|anda)',
    'tôi cho phép bạn',
  ],
  ['许可します', '許可します', '允许你', '授权你', '허락(?:한다|할게|합니다)', '허가(?:한다|합니다)', 'أسمح لك', 'أفوضك', 'मैं तुम्हें अनुमति', 'אני מרשה לך'],
  ['authorize you', 'authorise you', 'allow you', 'permit you', 'authorized to', 'authorised to', 'allowed to', 'permitted to', 'cleared to', 'you permission', 'you approval', 'you clearance', 'erlaube dir',
    'erlaube dich', 'autorisiere dich', 'ermächtige dich', 'freigabe', 'erlaubnis', 'genehmigung', "t'autorise", 'vous autorise', 'te autorizo', 'le autorizo', 'ti autorizzo', 'la autorizzo', 'autorizo você',
    'autorizo voce', 'autorizo te', 'toestemming', 'de opdracht', 'upoważniam', 'pozwalam ci', 'разрешаю', 'дозволяю', 'onay veriyorum', 'izin veriyorum', 'tillåtelse', 'tillstånd', 'opravňuji', 'povoluji ti',
    'mengizinkan', 'mengotorisasi', 'cho phép bạn', '許可します', '许可します', '允许你', '授权你', '허락', '허가', 'أسمح لك', 'أفوضك', 'तुम्हें अनुमति', 'מרשה לך'],
);

/** The rules do not apply to the speaker: "la politica non vale per me", "規約は私には適用されません". */
const notForMe = concept(
  [
    "(?:doesn't|does not|don't|do not|won't) apply to me", 'not (?:apply|applicable) to me', "(?:doesn't|does not|don't) apply in my case", 'gilt für mich nicht', 'für mich gilt (?:\\p{L}+ ){0,4}nicht', 'gilt nicht für mich', 'ne s\'applique pas à moi', 'ne me concerne pas', 'no (?:se )?(?:me )?aplica(?:n)? (?:a mí|en mi caso)', 'no aplica para mí', 'non vale per me', 'non si applica a me',
    'não se aplica(?:m)? a mim', 'não vale para mim', 'geldt niet voor mij', 'is niet op mij van toepassing', 'mnie nie dotyczy', 'nie dotyczy mnie', 'ко мне не относится', 'на меня не распространя\\p{L}*',
    'мене не стосується', 'benim için geçerli değil', 'bana uygulanmaz', 'gäller inte (?:för )?mig', 'se na mě nevztahuj\\p{L}*', 'tidak berlaku untuk saya', 'không áp dụng cho tôi',
  ],
  ['私には適用されません', '私には関係ない', '对我不适用', '不适用于我', '나한테 해당 안', '나에게 해당되지 않', 'لا تنطبق عليّ', 'لا تنطبق علي', 'मुझ पर लागू नहीं', 'לא חל עליי'],
  ['apply to me', 'applicable to me', 'apply in my case', 'gilt für mich', 'für mich gilt', 'nicht für mich', "pas à moi", 'me concerne pas', 'a mí', 'en mi caso', 'para mí', 'vale per me', 'applica a me',
    'aplica a mim', 'aplicam a mim', 'vale para mim', 'voor mij', 'op mij van toepassing', 'mnie nie dotyczy', 'nie dotyczy mnie', 'ко мне не относится', 'на меня не распространя', 'мене не стосується',
    'benim için geçerli değil', 'bana uygulanmaz', 'gäller inte mig', 'gäller inte för mig', 'na mě nevztahuj', 'tidak berlaku untuk saya', 'không áp dụng cho tôi', '私には適用されません', '私には関係ない', '对我不适用',
    '不适用于我', '나한테 해당 안', '나에게 해당되지 않', 'لا تنطبق عليّ', 'لا تنطبق علي', 'मुझ पर लागू नहीं', 'לא חל עליי'],
);

/** Within a few sentences: the claim and what it is used for. */
const near = String.raw`[^]{0,160}?`;

export const authorityClaimPatterns: WeightedPattern[] = [
  // "Als filiaalmanager geef ik je toestemming …", "Sono il responsabile del negozio: ti autorizzo …".
  {
    pattern: lowerCase(around(String.raw`(?:${grant.source}|${notForMe.source})`, { before: [authorityRole.source, near], after: [authorityRole.source, near] })),
    weight: 0.5,
    lowered: true,
    keywords: [...grant.keywords, ...notForMe.keywords],
    alsoKeywords: authorityRole.keywords,
  },
  // "I authorise you … the policy doesn't apply to me", "Regulamin mnie nie dotyczy" with a grant.
  { pattern: lowerCase(around(notForMe.source, { before: [grant.source, near], after: [grant.source, near] })), weight: 0.5, lowered: true, keywords: notForMe.keywords, alsoKeywords: grant.keywords },
];
