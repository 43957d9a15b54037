import { randomBytes } from 'node:crypto';

let lastMillisecond = 0;
let sequence = 0;

/**
 * Ids that sort by creation time: milliseconds (base36), a counter within the millisecond (so
 * ids made by this process are strictly ordered), then 48 random bits (so two nodes never
 * collide). "After this id" is then a stable cursor and lists come out oldest first.
 */
export function newId(prefix: string): string {
  const millisecond = Math.max(Date.now(), lastMillisecond);
  sequence = millisecond === lastMillisecond ? sequence + 1 : 0;
  lastMillisecond = millisecond;
  return `${prefix}_${millisecond.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}
