/** A compiled glob: `test` says whether a whole text matches it. */
export interface Glob {
  test(text: string): boolean;
  readonly source: string;
}

/**
 * Compiles a glob with * (any run, possibly empty) and ? (one character) into a matcher. The texts
 * are the client's (a model name, a path), so matching must not backtrack: a glob made a RegExp
 * (`^.*a.*a.*b$`) takes seconds on a few hundred characters. This walks the text once, going back
 * only to the last `*` seen: at most text length × glob length steps.
 */
export function compileGlob(glob: string): Glob {
  // Consecutive stars match what one does; collapsing them keeps the walk short.
  const pattern = glob.replace(/\*{2,}/g, '*');
  return { source: glob, test: (text) => globMatches(pattern, text) };
}

function globMatches(pattern: string, text: string): boolean {
  let position = 0;
  let index = 0;
  let star = -1;
  let starPosition = 0;
  while (position < text.length) {
    const char = pattern[index];
    if (char === '*') {
      star = index++;
      starPosition = position;
    } else if (index < pattern.length && (char === '?' || char === text[position])) {
      index++;
      position++;
    } else if (star !== -1) {
      // Let the last star take one more character and try the rest of the glob again from there.
      index = star + 1;
      position = ++starPosition;
    } else return false;
  }
  while (pattern[index] === '*') index++;
  return index === pattern.length;
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
