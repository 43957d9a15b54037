import { randomFillSync } from 'node:crypto';

let lastMillisecond = 0;
let sequence = 0;

// Random bytes come from a pool refilled a few kilobytes at a time: a usage record gets an id on
// every request, and one small randomBytes() call per id showed in the profile.
const pool = Buffer.alloc(6 * 1024);
let poolOffset = pool.length;

function randomHex6(): string {
  if (poolOffset + 6 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const hex = pool.toString('hex', poolOffset, poolOffset + 6);
  poolOffset += 6;
  return hex;
}

/**
 * Ids that sort by creation time: milliseconds (base36), a counter within the millisecond (so
 * ids made by this process are strictly ordered), then 48 random bits (so two nodes never
 * collide). "After this id" is then a stable cursor and lists come out oldest first.
 */
export function newId(prefix: string): string {
  const millisecond = Math.max(Date.now(), lastMillisecond);
  sequence = millisecond === lastMillisecond ? sequence + 1 : 0;
  lastMillisecond = millisecond;
  return `${prefix}_${millisecond.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${randomHex6()}`;
}
