/** A duration as the config writes it: a number and its unit. */
export const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

/** Parses a duration ("500ms"/"30s"/"5m"/"1h", or a number of ms from code and defaults) into milliseconds. */
export function toMilliseconds(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = durationPattern.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const amount = Number(match[1]);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return amount * factor;
}

/** Parses a size (bytes as a number, or "10mib"/"512kb") into bytes. */
export function toBytes(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|kib|mib)$/i.exec(value);
  if (!match) throw new Error(`not a size: ${value}`);
  const factors: Record<string, number> = { b: 1, kb: 1000, mb: 1_000_000, kib: 1024, mib: 1024 * 1024 };
  return Math.floor(Number(match[1]) * factors[match[2].toLowerCase()]);
}
