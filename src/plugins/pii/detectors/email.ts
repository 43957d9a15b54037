import type { Detection, Detector } from './detector.ts';

const localCharacter = /[\p{L}\p{N}._%+-]/u;
// Sticky: matched from the start of the local part found by walking back from an '@'.
const address = /[\p{L}\p{N}._%+-]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-])/uy;

function validLocalPart(local: string): boolean {
  return !local.startsWith('.') && !local.endsWith('.') && !local.includes('..');
}

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
    find(text: string, found: Detection[]) {
      let searchFrom = 0;
      for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(at + 1, searchFrom))) {
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
    },
  };
}
