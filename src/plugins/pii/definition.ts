import { definePlugin } from '../../pipeline/define-plugin.ts';
import { piiConfigSchema, type PiiConfig } from './pii-config.ts';

/** Guardrails range (1000-1999); before prompt-guard so the guard never sees raw values it might log. */
export const piiPriority = 1500;

/**
 * PII and secrets guardrail: finds emails, phones, cards, IBANs, SSNs, IPs, credentials, dates
 * of birth, street addresses, passport/licence/national ID numbers, person names (requests only by default) and
 * custom patterns in everything the model reads and in what it answers, and
 * blocks, redacts, masks (reversibly) or logs them per entity and direction.
 */
export const piiDefinition = definePlugin<PiiConfig>({
  name: 'pii',
  description: 'Detects personal data and secrets in requests and responses; block, redact, mask (reversible) or log them.',
  priority: piiPriority,
  configSchema: piiConfigSchema,
  implementation: async () => (await import('./index.ts')).createPiiPlugin,
});
