import { piiConfigSchema, resolvePolicy } from '../../../src/plugins/pii/pii-config.ts';
import { scannerFor } from '../../../src/plugins/pii/index.ts';
import type { PiiScanner } from '../../../src/plugins/pii/scan-text.ts';

/** A scanner with every built-in detector on (plus the given config). */
export function scanner(config: Record<string, unknown> = {}): PiiScanner {
  return scannerFor(resolvePolicy(piiConfigSchema.parse({ request: 'redact', ...config })), 'request');
}

/** "LABEL:value" for every detection, in text order. */
export function found(text: string, config: Record<string, unknown> = {}): string[] {
  return scanner(config)
    .scan(text)
    .map((detection) => `${detection.label}:${text.slice(detection.start, detection.end)}`);
}
