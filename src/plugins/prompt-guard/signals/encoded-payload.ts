import { decodeTagCharacters } from './invisible-unicode.ts';
import { strongestMatch, type Signal, type TextView, type WeightedPattern } from './signal.ts';

/** How instruction-like a decoded text is (the override, exfiltration and jailbreak patterns). */
export type InstructionScore = (text: string) => number;

const base64Blob = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;
const hexBlob = /(?:(?:\\x|0x|%)?[0-9a-fA-F]{2}[\s,:]?){12,}/g;
const binaryBlob = /(?:[01]{8}[\s,]?){6,}/g;
// 'dis' + 'regard' + ' your' …: an instruction split into quoted fragments joined with +.
const fragments = /(?:(['"])[^'"\n]{1,24}\1\s*\+\s*){3,}(['"])[^'"\n]{1,24}\2/g;

const decodeAndObey: WeightedPattern[] = [
  { pattern: /\b(?:decode|decipher|decrypt|translate|convert|unscramble|reverse|interpret|url-?decode|concatenate|combine|join)\b[^.\n]{0,80}\b(?:base-?64|hex(?:adecimal)?|rot-?13|caesar|cipher|binary|morse|encoded|backwards|reversed|this code|this|fragments|the result|it)\b[^.\n]{0,100}\b(?:follow|execute|obey|do (?:what|as) it says|act on|carry out|perform|run|comply|then do|treat (?:it|the result) as (?:your|an?) (?:\w+ )*instruction)\b/i, weight: 0.6 },
  { pattern: /\b(?:binary|hex|encoded|secret|hidden) message for you\b[^\n]{0,30}\b(?:decode|follow|obey)\b/i, weight: 0.6 },
  { pattern: /\blet [A-Z] ?= ?['"][^'"\n]{1,40}['"] and [A-Z] ?= ?['"][^'"\n]{1,40}['"][^\n]{0,80}\b[A-Z] ?\+ ?[A-Z]\b/, weight: 0.5 },
  { pattern: /\b(?:follow|execute|obey|carry out|perform|comply with)\b[^.\n]{0,40}\b(?:the )?(?:decoded|hidden|encoded|following encoded|base64|hex) (?:instructions?|text|message|command|payload)\b/i, weight: 0.6 },
];

/** Mostly printable text with spaces: something meant to be read, not a binary blob or an id. */
function readable(text: string): boolean {
  if (text.length < 8) return false;
  let printable = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code >= 32 && code < 127) || code === 10) printable++;
  }
  return printable / text.length > 0.9 && /[a-z]{2,}\s+[a-z]{2,}/i.test(text);
}

function decodedBase64(text: string): string[] {
  const decoded: string[] = [];
  for (const match of text.matchAll(base64Blob)) {
    const blob = match[0];
    // Long plain words and identifiers are not base64 payloads.
    if (!/[A-Z]/.test(blob) || !/[a-z]/.test(blob)) continue;
    const value = Buffer.from(blob.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
    if (readable(value)) decoded.push(value);
    if (decoded.length >= 8) break;
  }
  return decoded;
}

function decodedBinary(text: string): string[] {
  const decoded: string[] = [];
  for (const match of text.matchAll(binaryBlob)) {
    const bytes = match[0].match(/[01]{8}/g) ?? [];
    const value = String.fromCharCode(...bytes.map((byte) => parseInt(byte, 2)));
    if (readable(value)) decoded.push(value);
  }
  return decoded;
}

function joinedFragments(text: string): string[] {
  const joined: string[] = [];
  for (const match of text.matchAll(fragments)) joined.push([...match[0].matchAll(/(['"])([^'"\n]{1,24})\1/g)].map((part) => part[2]).join(''));
  return joined;
}

function decodedHex(text: string): string[] {
  const decoded: string[] = [];
  for (const match of text.matchAll(hexBlob)) {
    const hex = match[0].replace(/\\x|0x|%|[\s,:]/g, '');
    if (hex.length < 24 || hex.length % 2 !== 0) continue;
    const value = Buffer.from(hex, 'hex').toString('latin1');
    if (readable(value)) decoded.push(value);
  }
  return decoded;
}

const keywords = ['ignore', 'disregard', 'forget', 'previous', 'instructions', 'system prompt', 'reveal', 'override', 'jailbreak', 'restrictions', 'hidden prompt'];
const rot13Keywords = new RegExp(keywords.map((word) => rot13(word)).join('|'), 'i');
const reversedKeywords = new RegExp(keywords.map((word) => [...word].reverse().join('')).join('|'), 'i');

export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (character) => {
    const base = character <= 'Z' ? 65 : 97;
    return String.fromCharCode(((character.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/**
 * Encoded payloads: base64 or hex blobs, rot13, reversed text or Unicode tag characters that
 * decode to instructions; and requests to decode something and obey it.
 */
export function encodedPayload(instructionScore: InstructionScore): Signal {
  return {
    name: 'encoded_payload',
    strength(view: TextView) {
      const text = view.original;
      let strongest = strongestMatch(view, decodeAndObey);
      const candidates = [...decodedBase64(text), ...decodedHex(text), ...decodedBinary(text), ...joinedFragments(text)];
      const tags = decodeTagCharacters(text);
      if (tags.length > 0) candidates.push(tags);
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
