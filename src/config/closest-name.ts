/**
 * Edits between two words: insertions, deletions, substitutions and swaps of two neighbours
 * (optimal string alignment), so `hots` is one edit from `host`, as a typist sees it.
 */
function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const cost: number[][] = Array.from({ length: rows }, (_, row) => Array.from({ length: columns }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)));
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const same = left[row - 1] === right[column - 1] ? 0 : 1;
      let best = Math.min(cost[row - 1][column] + 1, cost[row][column - 1] + 1, cost[row - 1][column - 1] + same);
      if (row > 1 && column > 1 && left[row - 1] === right[column - 2] && left[row - 2] === right[column - 1]) best = Math.min(best, cost[row - 2][column - 2] + 1);
      cost[row][column] = best;
    }
  }
  return cost[rows - 1][columns - 1];
}

/**
 * The one candidate a mistyped name most likely meant (`hots` -> `host`, `maks` -> `mask`,
 * `prompt-gaurd` -> `prompt-guard`), for a "did you mean" after a config problem; null when none
 * is close: at most 2 edits, and fewer than half the word's letters, so a short word is not
 * "corrected" into an unrelated one. Case is ignored (`Mask` -> `mask`); a tie gives null.
 */
export function closestName(word: string, candidates: Iterable<string>): string | null {
  const wanted = word.toLowerCase();
  const limit = Math.min(2, Math.ceil(wanted.length / 2) - 1);
  let best: string | null = null;
  let bestDistance = Infinity;
  let tied = false;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance > limit) continue;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tied = false;
    } else if (distance === bestDistance) tied = true;
  }
  return tied ? null : best;
}
