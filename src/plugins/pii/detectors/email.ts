import type { Detection, Detector } from './detector.ts';

const localCharacter = /[\p{L}\p{N}._%+-]/u;
// Sticky: matched from the start of the local part found by walking back from an '@'. A line
// break right after the '@' is inside the address (one wrapped onto the next line: `john.doe@⏎example.com`).
const address = /[\p{L}\p{N}._%+-]{1,64}@(?:\r?\n)?(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-])/uy;

function validLocalPart(local: string): boolean {
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

const spokenTld = 'com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|pt|pl|in|jp|br|be|ch|at|se|ie|au|ca|us|info|biz|me|example';
const spokenDot = String.raw`(?:[ \t]*[\[({][ \t]*dot[ \t]*[\])}][ \t]*|[ \t]+dot[ \t]+|\.)`;
/**
 * An address written out so that scrapers miss it: "maisie dot calder at example dot com",
 * "b_okonkwo [at] example [dot] net". The domain must end in a common TLD after a spoken or
 * bracketed dot, so "look at this dot product" is not one.
 */
const spokenAddress = new RegExp(
  String.raw`(?<![\p{L}\p{N}_.+-])[\p{L}\p{N}_+-]+(?:${spokenDot}[\p{L}\p{N}_+-]+)*(?:[ \t]*[\[({][ \t]*at[ \t]*[\])}][ \t]*|[ \t]+at[ \t]+)[\p{L}\p{N}-]+(?:${spokenDot}[\p{L}\p{N}-]+)*(?:[ \t]*[\[({][ \t]*dot[ \t]*[\])}][ \t]*|[ \t]+dot[ \t]+)(?:${spokenTld})(?![\p{L}\p{N}])`,
  'giu',
);

/**
 * Email addresses. Only the neighbourhood of each '@' is examined (walk back over the local
 * part, then one anchored match), so the cost follows the number of '@', not the text length.
 * Not addresses: `user:password@host` in a URL, `git@host:org/repo` remotes.
 */
export function emailDetector(): Detector {
  return {
    entity: 'email',
    label: 'EMAIL',
    specificity: 55,
    find(text: string, found: Detection[], from = 0) {
      let searchFrom = from;
      for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', Math.max(at + 1, searchFrom))) {
        let start = at;
        while (start > 0 && at - start < 65 && localCharacter.test(text[start - 1])) start--;
        // Past 64 characters the local part is too long: no address here.
        if (start > 0 && localCharacter.test(text[start - 1])) continue;
        address.lastIndex = start;
        const match = address.exec(text);
        if (!match || !validLocalPart(text.slice(start, at))) continue;
        // `scheme://user:password@host` holds credentials, not an address; `git@github.com:org/repo` is an scp-style remote.
        if ((text[start - 1] === ':' && /:\/\/[^\s/@:]{0,128}:$/.test(text.slice(Math.max(0, start - 140), start))) || (text[start + match[0].length] === ':' && /[^\s\d]/.test(text[start + match[0].length + 1] ?? ' '))) continue;
        found.push({ entity: 'email', label: 'EMAIL', start, end: start + match[0].length, specificity: 55 });
        searchFrom = start + match[0].length;
      }
      if (!/(?<![a-z])dot(?![a-z])/i.test(from === 0 ? text : text.slice(from))) return;
      spokenAddress.lastIndex = from;
      for (let match = spokenAddress.exec(text); match !== null; match = spokenAddress.exec(text)) {
        // "meet at noon dot com" is not one: the local part or the "at" must look like an address's.
        const local = match[0].slice(0, match[0].search(/(?:[ \t]*[[({][ \t]*|[ \t]+)at(?:[ \t]*[\])}]|[ \t])/i));
        if (!/[[({]\s*at\s*[\])}]/i.test(match[0]) && !/[\d_.+-]|[ \t]dot[ \t]/i.test(local)) continue;
        found.push({ entity: 'email', label: 'EMAIL', start: match.index, end: match.index + match[0].length, specificity: 55 });
      }
    },
  };
}
