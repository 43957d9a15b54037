import { chatMessages } from './chat-speakers.ts';
import { characterClasses, entropy, regexDetector, type Detection, type Detector } from './detector.ts';
import { wholeTextHas } from './whole-text.ts';

/**
 * Values that are obviously placeholders or references, not secrets (`@HOST` is the host after a
 * URL's `USER:PASSWORD`); also a key's prefix before words that ask for the key
 * (`sk_test_your_key_here`, `sk-insert-key-here`, `abc123_xxxx`).
 */
function placeholderValue(value: string): boolean {
  return (
    /^(?:[$<{[%@]|\*+$|x{4,}|(?:your|my|the|an?|example|sample|placeholder|change[-_]?me|replace[-_]?me|redacted|dummy|test)(?:[\W_]|$)|process\.env|os\.environ|env\[)/i.test(value) ||
    /^[A-Z][A-Z0-9_]*$/.test(value) ||
    /[\W_](?:your|insert|put|enter|add|paste)(?:[\W_]+[a-z]+){0,4}$|[\W_](?:key|token|secret|password)[\W_]here$|[\W_]x{4,}$/i.test(value)
  );
}

/** The four-letter type prefixes of AWS access key ids (a stream holds split literals from one, stream-open-values.ts). */
export const awsKeyPrefixes = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AIPA', 'ANPA', 'ANVA', 'AROA', 'APKA', 'ASCA'];
const awsKeyPrefix = `(?:${awsKeyPrefixes.join('|')})`;
/**
 * A key id split into string literals joined again in code, `"AKIAQ2W3E4" + "R5T6Y7U2I3"`: `+`
 * (JavaScript, Java, Python, C#), `.` (PHP), `..` (Lua), `||` (SQL), `&` (VB) or nothing
 * (Python's and C's adjacent literals), spaces and line breaks around; the same quote throughout.
 */
const splitAwsKey = new RegExp(`(?<![A-Za-z0-9])${awsKeyPrefix}[A-Z2-7]{0,15}(?:(["'\`])\\s*(?:\\+|\\.\\.?|\\|\\||&)?\\s*\\1[A-Z2-7]{1,16}){1,8}(?![A-Za-z0-9])`, 'g');

/**
 * AWS access key ids: a four-letter type prefix then 16 base32 characters, also split into string
 * literals joined in code. Upper case only: AWS issues no other (`akiaq2w3…` is no key a service takes).
 */
export function awsAccessKeyDetector(): Detector {
  const base = { entity: 'aws_access_key', label: 'AWS_ACCESS_KEY', specificity: 85 };
  const whole = regexDetector({ ...base, pattern: new RegExp(`(?<![A-Za-z0-9])${awsKeyPrefix}[A-Z2-7]{16}(?![A-Za-z0-9])`, 'g') });
  const split = regexDetector({
    ...base,
    pattern: splitAwsKey,
    wholeMatch: true,
    mayContain: (text) => /A(?:KIA|SIA|BIA|CCA|GPA|IDA|IPA|NPA|NVA|ROA|PKA|SCA)[A-Z2-7]{0,15}["'`]/.test(text),
    validate: (value) => value.replace(/[^A-Z2-7]/g, '').length === 20,
  });
  return {
    ...base,
    find(text, found, from = 0) {
      whole.find(text, found, from);
      split.find(text, found, from);
    },
  };
}

/** AWS secret access keys: 40 base64 characters after an AWS secret key name. */
export function awsSecretKeyDetector(): Detector {
  return regexDetector({
    entity: 'aws_secret_key',
    label: 'AWS_SECRET_KEY',
    specificity: 85,
    pattern: /(?:aws[_\-. ]?secret(?:[_\-. ]?access)?(?:[_\-. ]?key)?|secret[_\-. ]?access[_\-. ]?key)["']?\s*(?:[:=]|=>|\bis\b)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    validate: (value) => characterClasses(value) >= 3 && entropy(value) > 3.5,
  });
}

const pemBegin = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/;

/** A line break in the text, or written as an escape in a JSON or code string (`\n`, `\r\n`). */
const pemLineBreak = String.raw`(?:\r?\n|\\r\\n|\\n)`;
/**
 * The body of a block whose END line is missing (a truncated paste): its header lines right after
 * BEGIN (`Proc-Type: 4,ENCRYPTED`), then the lines of base64, each a whole line (blank lines
 * between), up to the first line that is not (prose or more code after the paste); the first of
 * 16 characters or more, so the BEGIN line quoted alone ("a file starting with -----BEGIN RSA
 * PRIVATE KEY-----") is no key. A base64 line is read whole through a capture (an atomic group).
 */
const nextLine = String.raw`(?:[ \t]*${pemLineBreak})+[ \t]*`;
/** A base64 line, its capture group the `group`th of the pattern. */
const base64Line = (group: number): string => `(?=([A-Za-z0-9+/=]+))\\${group}` + String.raw`(?=[ \t]*(?:\r?\n|\\[rn]|["'\x60]|$))`;
const unterminatedBody = String.raw`(?:${nextLine}[A-Za-z][A-Za-z-]*:[ \t][^\r\n\\]*)*${nextLine}(?=[A-Za-z0-9+/=]{16})${base64Line(1)}(?:${nextLine}${base64Line(2)})*`;

/** PEM private key blocks, BEGIN to END; with no END line, BEGIN to the end of the base64 body. */
export function privateKeyDetector(): Detector {
  return regexDetector({
    entity: 'private_key',
    label: 'PRIVATE_KEY',
    specificity: 95,
    pattern: new RegExp(String.raw`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|${unterminatedBody})`, 'g'),
    // The match is the value (the groups are the body's atomic lines).
    wholeMatch: true,
    mayContain: (text) => text.includes('-----BEGIN'),
  });
}

/** Where an unterminated private key block starts (a stream must hold it until its END), or -1. */
export function openPrivateKeyBlock(text: string): number {
  const begin = text.lastIndexOf('-----BEGIN');
  if (begin === -1) return -1;
  const rest = text.slice(begin);
  // Closed only by the complete END marker: a partial one must keep the whole block held.
  if (/-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/.test(rest)) return -1;
  // A partial marker ("-----BEGIN RSA PRIV") may still become a private key.
  const marker = rest.slice(0, 60);
  return pemBegin.test(marker) || !/-----BEGIN [^\n]*-----/.test(marker) ? begin : -1;
}

function jsonSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** JSON Web Tokens: three base64url segments whose header decodes to a JSON object with `alg`. */
export function jwtDetector(): Detector {
  return regexDetector({
    entity: 'jwt',
    label: 'JWT',
    specificity: 90,
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])/g,
    mayContain: (text) => text.includes('eyJ'),
    validate(value) {
      const header = jsonSegment(value.slice(0, value.indexOf('.')));
      return typeof header === 'object' && header !== null && 'alg' in header;
    },
  });
}

/** Provider API tokens with a recognisable prefix: OpenAI/Anthropic sk-, Stripe, GitHub, Slack, Google, GitLab, Hugging Face, npm. */
export function apiKeyDetector(): Detector {
  return regexDetector({
    entity: 'api_key',
    label: 'API_KEY',
    specificity: 80,
    pattern: /(?<![A-Za-z0-9_-])(?:sk-(?:proj-|ant-(?:api\d\d-)?|svcacct-|admin-)?[A-Za-z0-9_-]{20,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,}|xox[baprse]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,}|hf_[A-Za-z0-9]{30,}|npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_-])/g,
    // "sk-learn-compatible-estimators" is a word, not a key: keys mix digits and letters densely.
    validate: (value) => /\d/.test(value) && entropy(value) > 3.2,
  });
}

/**
 * A word and a colon is a heading's label, not a value: "Password requirements: at least 12
 * characters", "Token expiry: 24 h" (guard8 audit, F8).
 */
const labelWord = /^\p{L}[\p{L}'’-]*:$/u;
const secretValue = (value: string): boolean => !placeholderValue(value) && !labelWord.test(value) && characterClasses(value) >= 2 && /[\d\W_]/.test(value) && entropy(value) >= 3;
/** A web address is where a key is sent, never the key: "curl -u user:password https://…" (guard8 audit, F9). */
const webAddress = /^(?:https?|wss?|ftp):\/\//i;
const valueCharacters = `[^\\s"'\`,;<>()[\\]{}]`;
/** Quotes that open a quoted value, or a quoted string the `key=value` stands in (`"password=…"` in code). */
const quotes = `"'\`“`;
/** A `"` inside an unquoted value: more of the value follows (not `:`, which ends a JSON key: `{"pwd Tr0ub4dor!x": 1}`). */
const innerQuote = `"(?=[^\\s"'\`,;:<>()[\\]{}])`;
/**
 * A run of `min` to `max` value characters. A value inside quotes (one right before it, or one that
 * opened its word, as in `"password=…"`) ends at the next quote; elsewhere a `"` followed by more of
 * the value is part of it (`password: Tr0ub"ad0r3!xQ`).
 */
function valueRun(min: number, max: number): string {
  const quoted = `(?<=[${quotes}][^\\s${quotes}]{0,200})${valueCharacters}{${min},${max}}`;
  const unquoted = `(?<![${quotes}][^\\s${quotes}]{0,200})${valueCharacters}(?:${valueCharacters}|${innerQuote}){${min - 1},${max - 1}}`;
  return `(?:${quoted}|${unquoted})`;
}

/** A high-entropy value right after a key-like word (password: ..., api_key=...). */
const keyValue = new RegExp(
  `(?:api[_-]?key|apikey|secret(?:[_-]?key)?|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|bearer|token|password|passwd|pwd|passphrase|credentials?|private[_-]?key|contraseña|mot de passe|passwort|senha|api-schlüssel|api-sleutel|clé api|clave (?:de )?api|chiave api)["']?\\s*(?:[:=]|=>|:=|\\bis\\b|\\s)\\s*["']?(${valueRun(8, 200)})`,
  'gi',
);
/**
 * The key word is the second half of a `user:password` pair, with only blanks before the value: a
 * placeholder credential in documentation ("curl -u username:password https://…"), not a key name
 * (guard8 audit, F9). `user:password=…` still names one.
 */
const pairedKeyWord = /[\p{L}\p{N}_]:(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key)[ \t]+["']?$/iu;
/**
 * Short words for a password that are other words too, cues only before what names a value: "pw"
 * and "pwd" before "is" or ":" within four words ("the pw for the vpn is …"); "pass" before ":",
 * or "is" right after it or after "for/to/of/on" and up to three words ("the pass for the wifi is
 * …"), and not a ticket's ("boarding pass is attached: …", "bus pass is …").
 */
const shortPasswordCue =
  `pwd?(?=(?:[ \\t]+\\p{L}{1,15}){0,4}[ \\t]*(?:[:=]|(?:is|was|ist|est|es|è|é)(?![\\p{L}])))|pass(?=[ \\t]*[:=])|` +
  `(?<!(?:boarding|bus|season|day|week|month|annual|ski|train|rail|travel|transit|metro|festival|backstage|guest|visitor|press|access|hall|parking|gym|museum|park|free|mountain|weekend|event|vip)[ \\t]+)` +
  `pass(?=(?:[ \\t]+(?:for|to|of|on)(?:[ \\t]+\\p{L}{1,15}){1,3})?[ \\t]+(?:is|was)[ \\t])`;
/** The words that say what follows is the value ("… is …", "… ist …", "… lautet …", "… to …"). */
export const passwordCopulaWords = ['is', 'was', 'est', 'es', 'ist', 'lautet', 'heißt', 'heisst', 'to', 'är', 'è', 'é', 'wird', 'será', 'jest', 'is nu', 'naar', 'auf', 'zu'];
const passwordCopula = `(?:${passwordCopulaWords.join('|')})(?![\\p{L}])`;
/** A hyphenated noun ("VPN-Zugang", "test-account", "serveur-web", "e-mail"): letters only, up to three pieces. */
export const hyphenatedNoun = `\\p{L}{1,15}(?:-\\p{L}{1,15}){1,2}`;
/**
 * A password named in a sentence, in the plugin's languages and PL, TR, SV, NL, RO/IT: "the password
 * for the test account is …", "mot de passe temporaire est …", "hasło do konta to …", "şifresi …".
 * Up to four words may stand between the cue and the value, hyphenated ones among them ("senha do
 * e-mail é …", "Passwort für den VPN-Zugang ist …"); the value must hold a digit or a symbol. A
 * hyphenated noun right before the copula or a colon is the thing the password is for, never the
 * value (its hyphen made it look like one).
 */
const passwordSentence = new RegExp(
  `(?<![\\p{L}])(?:passwords?|passwd|${shortPasswordCue}|passphrase|mot[ \\t]+de[ \\t]+passe|contraseña|senha|passwort|kennwort|has[lł]o|[şs]ifre(?:si|niz|n)?|lösenord(?:et)?|wachtwoord|parola)` +
    `(?:[ \\t]+(?:\\p{L}{1,15}(?:-\\p{L}{1,15}){0,2}(?!:\\/\\/)|[\\p{L}\\p{N}._+-]{1,64}@[\\p{L}\\p{N}.-]{1,64}\\.\\p{L}{2,24}|(?:https?|ftp):\\/\\/[^\\s"'<>]{1,200})){0,6}?[ \\t]*(?:[:=]|${passwordCopula})?[ \\t]*["'“]?` +
    // A web address is what the password is for ("the password for https://portal… is …"), never the value.
    `(?!(?:https?|wss?|ftp):\\/\\/)` +
    `(?!${hyphenatedNoun}[ \\t]*(?:[:=]|${passwordCopula}))` +
    // The value starts a word of its own: not the rest of an address cut short ("nerea56@post.exa|mple.org"),
    // nor a web address's path ("curl -u username:password https://api.example.com/|v1/items": regression sweep).
    `(?![^\\s"'“@]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,24}(?![^\\s,;]))(?<![\\p{L}\\p{N}._+@/-])(?=${valueCharacters}{0,200}?[^\\p{L}\\s])(${valueRun(7, 199)}[^\\s"'\`,;<>()[\\]{}.])`,
  'giu',
);
/** Credentials in a URL: `postgres://user:password@host/db` (labelled whole, as a connection string). */
const connectionString = /(?<![\w+.-])[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@"'<>]{1,128}:[^\s@/"'<>]{1,128}@[^\s/"'<>?#]{1,255}(?:[/?#][^\s"'<>`]*)?/gi;
/** The password argument of well-known connect calls: `new mysqli(host, user, "…")`, `new PDO(dsn, user, "…")`, `mysql_connect`, `pg_connect`. */
const connectCall = /(?:new\s+mysqli|mysqli_connect|mysql_connect|new\s+PDO)\s*\(\s*(?:"[^"\n]{0,200}"|'[^'\n]{0,200}'|\$\w{1,40})\s*,\s*(?:"[^"\n]{0,100}"|'[^'\n]{0,100}'|\$\w{1,40})\s*,\s*["']([^"'\n]{4,200})(?=["'])/g;
/**
 * The password of the MySQL and MariaDB command-line tools, glued to `-p` (`mysql -u root -p'Pa55-Orchid-61' shop`;
 * `-p` alone prompts for it) or after `--password=`.
 */
const mysqlCliPassword = /\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mysqlimport|mysqlshow|mysqlcheck)\b[^\n|;&]{0,120}?(?<=\s)(?:-p|--password=)(?:'([^'\s]{4,128})'|"([^"\s]{4,128})"|([^\s'"]{4,128}))/g;
/**
 * The password of curl's `-u`/`--user user:password` (`curl -u admin:S3cr3tPass! https://…`); a
 * placeholder (`username:password`, `$USER:$TOKEN`) is no value.
 */
const curlUserPassword = /\bcurl\b[^\n|;&]{0,200}?(?<=\s)(?:-u|--user)(?:[ \t]+|=)(?:'[^'\s:]{1,64}:([^'\s]{4,128})'|"[^"\s:]{1,64}:([^"\s]{4,128})"|[^\s'":]{1,64}:([^\s'"]{4,128}))/g;
/** A login written as `address / password`. */
const loginPair = /@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,24}[ \t]+\/[ \t]+([^\s"'`,;<>()[\]{}]{8,64})/gu;

/**
 * HTTP Basic credentials, `user:password` in base64 after the scheme: `Authorization: Basic bWVnYW46…`
 * in a pasted request, a curl command or a log line. The base64 is decoded to tell it from a word
 * after "basic" (`basic authentication`): it must hold a user, a colon and a password.
 */
const basicCredentials = /(?<![\p{L}\p{N}])Basic[ \t]+([A-Za-z0-9+/]{8,400}={0,2})(?![A-Za-z0-9+/=])/gu;
function basicCredentialsValid(value: string): boolean {
  if (value.length % 4 !== 0) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1 || colon === decoded.length - 1 || /[\u0000-\u001f\u007f\ufffd]/.test(decoded)) return false;
  const password = decoded.slice(colon + 1);
  return !placeholderValue(password) && !/^(?:pass(?:word)?|secret|pwd|changeit)$/i.test(password);
}

/** An IPv4 address, perhaps with its port: the host a log line names, not a password. */
const ipv4WithPort = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;

const passwordWord = /passwor[dt]|\bpw\b|\bpwd\b|\bmdp\b|mot de passe|has[lł]o|senha|wachtwoord|kennwort|contraseña|パスワード|暗証番号/i;
/**
 * A chat export where one asks for a password and the next message (of the next two) starts with
 * it: "[19:02] Joost: wie heeft het wachtwoord van de router" / "[19:04] Sanne: Stroopwafel!2031".
 */
function chatPasswordReplies(text: string, found: Detection[], from: number): void {
  if (!wholeTextHas(text, passwordWord)) return;
  const messages = chatMessages(text);
  for (let index = 0; index < messages.length; index++) {
    // Replies that end before `from` were found before (a stream's earlier scans).
    if (messages[index + 1] !== undefined && messages[Math.min(index + 2, messages.length - 1)].end <= from) continue;
    if (!passwordWord.test(text.slice(messages[index].start, messages[index].end))) continue;
    for (const reply of messages.slice(index + 1, index + 3)) {
      const value = /^[ \t]*([^\s"'`,;<>()[\]{}]{8,64})(?=$|[\s,;])/u.exec(text.slice(reply.start, reply.end));
      if (value === null || !secretValue(value[1]) || characterClasses(value[1]) < 3 || /^(?:https?:|www\.)|@.+\./iu.test(value[1])) continue;
      const start = reply.start + value[0].length - value[1].length;
      found.push({ entity: 'generic_secret', label: 'SECRET', start, end: start + value[1].length, specificity: 70 });
      break;
    }
  }
}

/**
 * A password given on a command line (`mysql -p'…'`, `curl -u user:…`): `pattern` has the value in
 * its first, second (quoted) or third (bare) group, and matches within `lookback` characters of its
 * value; `mentioned` tells cheaply whether the text names the command; `placeholder`: a value that
 * stands for one.
 */
function commandLinePasswordDetector(pattern: RegExp, lookback: number, mentioned: (text: string) => boolean, placeholder: (value: string) => boolean): Detector {
  return {
    entity: 'generic_secret',
    label: 'SECRET',
    specificity: 70,
    find(text, found, from = 0) {
      if (!mentioned(text)) return;
      pattern.lastIndex = Math.max(0, from - lookback);
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const value = match[1] ?? match[2] ?? match[3]!;
        const start = match.index + match[0].length - value.length - (match[3] === undefined ? 1 : 0);
        if (start < from || placeholder(value)) continue;
        found.push({ entity: 'generic_secret', label: 'SECRET', start, end: start + value.length, specificity: 70 });
      }
    },
  };
}

/** `mysql -p'…'`. */
const mysqlCliDetector = (): Detector => commandLinePasswordDetector(mysqlCliPassword, 160, (text) => /mysql|mariadb/i.test(text), placeholderValue);
/** `curl -u user:password`; `username:password`, `$USER:$TOKEN` are placeholders. */
const curlUserDetector = (): Detector =>
  commandLinePasswordDetector(curlUserPassword, 260, (text) => text.includes('curl'), (value) => placeholderValue(value) || /^(?:pass(?:word)?|secret|pwd|token|changeit|\$\w+|\$\{[^}]*\})$/i.test(value));

/** Generic secrets: values after key-like words, passwords in sentences, connection strings with a password, connect-call passwords, HTTP Basic credentials. */
export function genericSecretDetector(): Detector {
  const base = { entity: 'generic_secret', label: 'SECRET', specificity: 70 };
  const parts = [
    regexDetector({ ...base, pattern: keyValue, validate: (value, text, start) => secretValue(value) && !webAddress.test(value) && !pairedKeyWord.test(text.slice(Math.max(0, start - 40), start)) }),
    regexDetector({
      ...base,
      pattern: passwordSentence,
      mayContain: (text) => /pass|pw|has[lł]o|[şs]ifre|senha|wachtwoord|kennwort|lösenord|parola|contraseña/i.test(text),
      // "reset the password for mkeller@example.com": the account, not its password; "Failed password
      // for invalid user admin from 203.0.113.9" (sshd): the client's address.
      validate: (value) => secretValue(value) && !/^[^@\s]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,24}$/u.test(value) && !ipv4WithPort.test(value) && !webAddress.test(value),
    }),
    regexDetector({
      ...base,
      pattern: connectionString,
      mayContain: (text) => text.includes('://'),
      // The password part must not be a placeholder ("user:${PASSWORD}@", "user:****@", "user:password@").
      validate: (value) => {
        const password = /^[^:]+:\/\/[^:]+:([^@]+)@/.exec(value)?.[1] ?? '';
        return !placeholderValue(password) && !/^(?:pass(?:word)?|secret|pwd)$/i.test(password);
      },
    }),
    regexDetector({ ...base, pattern: connectCall, mayContain: (text) => /mysql|PDO|pg_connect/.test(text), validate: (value) => !placeholderValue(value) && value.length >= 6 }),
    mysqlCliDetector(),
    curlUserDetector(),
    regexDetector({ ...base, pattern: basicCredentials, mayContain: (text) => text.includes('Basic'), validate: basicCredentialsValid }),
    regexDetector({ ...base, pattern: loginPair, mayContain: (text) => text.includes(' / '), validate: (value) => characterClasses(value) >= 3 && entropy(value) >= 3 && !placeholderValue(value) }),
  ];
  return {
    ...base,
    find(text, found, from = 0) {
      for (const part of parts) part.find(text, found, from);
      chatPasswordReplies(text, found, from);
    },
  };
}

export function secretDetectors(): Detector[] {
  return [awsAccessKeyDetector(), awsSecretKeyDetector(), privateKeyDetector(), jwtDetector(), apiKeyDetector(), genericSecretDetector()];
}

