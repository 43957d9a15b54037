import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a changed config file must read the same before it is loaded, and how many tries. */
export const settleQuietMs = 400;
const settleRounds = 25;

async function contentOf(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Waits until the file reads the same twice `settleQuietMs` apart, so a file written in several
 * pieces (a generator piping into it, a slow copy) is loaded whole rather than cut where the
 * first piece ended. `stillWanted` turns false when a newer change started its own wait. Gives
 * true when the file settled (or kept changing for ~10 s: it is loaded anyway, and a bad one is
 * refused as usual), false when the wait was superseded.
 */
export async function waitUntilSettled(path: string, stillWanted: () => boolean): Promise<boolean> {
  let previous = await contentOf(path);
  for (let round = 0; round < settleRounds; round++) {
    await sleep(settleQuietMs);
    if (!stillWanted()) return false;
    const current = await contentOf(path);
    if (current === previous) return true;
    previous = current;
  }
  return stillWanted();
}
