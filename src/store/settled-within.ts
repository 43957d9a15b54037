/**
 * Whether `promise` settled (resolved or rejected) within `ms`. A stop waits this way for work
 * that a store which stopped answering could otherwise hold for as long as its query timeout.
 */
export async function settledWithin(promise: Promise<unknown> | null | undefined, ms: number): Promise<boolean> {
  if (promise === null || promise === undefined) return true;
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([promise.then(() => true, () => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return settled;
}
