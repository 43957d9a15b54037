import { characterClasses, entropy, regexDetector, type Detector } from './detector.ts';

/** Values that are obviously placeholders or references, not secrets. */
function placeholderValue(value: string): boolean {
  return /^(?:[$<{[%]|\*+$|x{4,}|(?:your|my|the|an?|example|sample|placeholder|changeme|redacted|dummy|test)[\W_]|process\.env|os\.environ|env\[)/i.test(value) || /^[A-Z][A-Z0-9_]*$/.test(value);
}

/** AWS access key ids: a four-letter type prefix then 16 base32 characters. */
export function awsAccessKeyDetector(): Detector {
  return regexDetector({
    entity: 'aws_access_key',
    label: 'AWS_ACCESS_KEY',
    specificity: 85,
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
  });
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

/** PEM private key blocks, BEGIN to END. */
export function privateKeyDetector(): Detector {
  return regexDetector({
    entity: 'private_key',
    label: 'PRIVATE_KEY',
    specificity: 95,
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
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

/** Generic secrets: a high-entropy value right after a key-like word (password: ..., api_key=...). */
export function genericSecretDetector(): Detector {
  return regexDetector({
    entity: 'generic_secret',
    label: 'SECRET',
    specificity: 70,
    pattern: /(?:api[_-]?key|apikey|secret(?:[_-]?key)?|client[_-]?secret|access[_-]?token|auth[_-]?token|refresh[_-]?token|bearer|token|password|passwd|pwd|passphrase|credentials?|private[_-]?key|contraseña|mot de passe|passwort|senha)["']?\s*(?:[:=]|=>|:=|\bis\b|\s)\s*["']?([^\s"'`,;<>()[\]{}]{8,200})/gi,
    validate: (value) => !placeholderValue(value) && characterClasses(value) >= 2 && /[\d\W_]/.test(value) && entropy(value) >= 3,
  });
}

export function secretDetectors(): Detector[] {
  return [awsAccessKeyDetector(), awsSecretKeyDetector(), privateKeyDetector(), jwtDetector(), apiKeyDetector(), genericSecretDetector()];
}

