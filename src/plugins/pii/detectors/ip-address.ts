import { isIPv6 } from 'node:net';
import type { Detection, Detector } from './detector.ts';
import { regexDetector } from './detector.ts';
import { wantsProvisional } from './whole-text.ts';

const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = new RegExp(`(?<![\\w.])(?:${octet}\\.){3}${octet}(?![\\w]|\\.\\d)`, 'g');
function ipv6Character(code: number): boolean {
  return (code >= 48 && code <= 58) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102) || code === 46;
}

/**
 * "version 1.2.3.4", "firmware 1.1.4.2", "upgraded chrome to 124.0.6367.207": versions, not
 * addresses (a browser or firmware name, then at most "to"/"is"/"now").
 */
const versionWord = /(?<![\p{L}])(?:version|versión|versione|versão|versie|wersja|ver\.?|release|firmware|build|(?:upgrade|update|migration|downgrade)[ \t]+path|chrome|chromium|firefox|safari|ファームウェア|バージョン)(?:[ \t]+(?:to|is|now|on|auf|à|a|naar|para|na))?[ \t]*[:=を]?[ \t]*v?$/iu;
export function afterVersionWord(text: string, start: number): boolean {
  return versionWord.test(text.slice(Math.max(0, start - 48), start));
}

/** Loopback (127.0.0.0/8) and the unspecified address (0.0.0.0) name no host of anyone's. */
const localOnly = (value: string): boolean => value.startsWith('127.') || value === '0.0.0.0';

const maskOctets = new Set(['0', '128', '192', '224', '240', '248', '252', '254', '255']);
/** A subnet mask ("255.255.255.0": 255 first, every octet a run of leading ones) or a network before its prefix length ("10.0.0.0/8"). */
function maskOrNetwork(value: string, text: string, end: number): boolean {
  const octets = value.split('.');
  if (octets[0] === '255' && octets.every((octet) => maskOctets.has(octet))) return true;
  return octets[3] === '0' && /^\/\d{1,2}(?!\d)/.test(text.slice(end, end + 4));
}

/** A second version on the line of a first ("firmware 1.1.4.2 has a bug, stay on 1.1.3.9"). */
function versionSibling(text: string, start: number): boolean {
  // The line up to the address, at most 160 characters back: a long line is not rescanned per address.
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - 160);
  const line = text.slice(lineStart, start);
  for (const earlier of line.matchAll(/(?<![\w.])\d{1,3}(?:\.\d{1,4}){3}(?![\w.])/g)) if (afterVersionWord(line, earlier.index)) return true;
  return false;
}

const dottedNumber = /(?<![\w.])\d{1,4}(?:\.\d{1,4}){3}(?![\w]|\.\d)/g;
/** A dotted four-part number no address can be: a part over 255 or of four digits ("9.0.5.681", "1.0.0.1024"). */
const notAnAddress = (value: string): boolean => value.split('.').some((part) => part.length > 3 || Number(part) > 255);

/** How far along its line before an address it is read for a version beside it. */
const lineReach = 160;
/**
 * How far after it: less, as a stream must hold an address until this much of its line has come
 * (versions upgraded from and to stand a few words apart: "from 1.14.46.199 to 2.0.69.1310").
 */
const lineReachAfter = 64;

/**
 * A version with no version word beside another on its line ("after upgrading from 9.3.11.48 to
 * 9.0.5.681"): when a dotted four-part number on the line, before or after, cannot be an address,
 * the quads around it are versions too.
 */
function besideImpossibleAddress(text: string, start: number, end: number): boolean {
  const lineStart = Math.max(text.lastIndexOf('\n', start - 1) + 1, start - lineReach);
  const newline = text.indexOf('\n', end);
  const lineEnd = Math.min(newline === -1 ? text.length : newline, end + lineReachAfter);
  // In a stream before its end, a number that ends the text so far is not whole yet ("192.168.0.1411"
  // may become "192.168.0.14111", no dotted number at all): it decides nothing until more comes.
  const textMayGrow = wantsProvisional();
  for (const other of text.slice(lineStart, lineEnd).matchAll(dottedNumber)) {
    if (textMayGrow && lineStart + other.index + other[0].length === text.length) continue;
    if (notAnAddress(other[0])) return true;
  }
  return false;
}

/**
 * The text after an address, as far as besideImpossibleAddress reads, may still grow: a stream has
 * not yet sent the rest of its line (`Upgrading from 1.14.46.199 ` before `to 2.0.69.1310`).
 */
function lineStillOpen(text: string, end: number): boolean {
  return text.length < end + lineReachAfter && text.indexOf('\n', end) === -1;
}

/** IPv4 (dotted quad, each octet 0-255; not subnet masks or networks before a /prefix) and IPv6 (validated by node:net, at least two non-empty groups). */
export function ipAddressDetector(): Detector {
  const v4 = regexDetector({
    entity: 'ip_address',
    label: 'IP_ADDRESS',
    specificity: 40,
    pattern: ipv4,
    mayContain: (text) => text.includes('.'),
    validate: (value, text, start) => !localOnly(value) && !afterVersionWord(text, start) && !versionSibling(text, start) && !besideImpossibleAddress(text, start, start + value.length) && !maskOrNetwork(value, text, start + value.length),
  });
  return {
    entity: 'ip_address',
    label: 'IP_ADDRESS',
    specificity: 40,
    find(text: string, found: Detection[], from = 0) {
      const first = found.length;
      v4.find(text, found, from);
      // In a stream, an address whose line has not come in full may still turn out a version (a
      // later "to 2.0.69.1310"): provisional, so the stream holds it until the line decides.
      if (found.length > first && wantsProvisional()) {
        for (let index = first; index < found.length; index++) if (lineStillOpen(text, found[index].end)) found[index].provisional = true;
      }
      // IPv6: grow a window of hex digits, colons and dots around each ':' and validate it.
      let searchFrom = from;
      for (let colon = text.indexOf(':', from); colon !== -1; colon = text.indexOf(':', Math.max(colon + 1, searchFrom))) {
        let start = colon;
        while (start > 0 && ipv6Character(text.charCodeAt(start - 1))) start--;
        let end = colon + 1;
        while (end < text.length && ipv6Character(text.charCodeAt(end))) end++;
        searchFrom = end;
        while (end > start && text[end - 1] === '.') end--;
        const before = text[start - 1];
        const after = text[end];
        if ((before !== undefined && /\w/.test(before)) || (after !== undefined && /\w/.test(after))) continue;
        const value = text.slice(start, end);
        const groups = value.split(':').filter((group) => group !== '');
        if (groups.length >= 2 && (value.includes('::') || groups.length >= 7) && isIPv6(value)) {
          found.push({ entity: 'ip_address', label: 'IP_ADDRESS', start, end, specificity: 40 });
        }
      }
    },
  };
}
