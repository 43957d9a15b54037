/**
 * A fast, dependency-free token estimate (about four characters a token for English text,
 * at least one token per word-like run). Used where no provider reports usage; records made
 * from it are marked estimated.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let words = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const isSpace = code === 32 || code === 10 || code === 9 || code === 13;
    if (!isSpace && !inWord) words++;
    inWord = !isSpace;
  }
  return Math.max(words, Math.ceil(text.length / 4));
}
