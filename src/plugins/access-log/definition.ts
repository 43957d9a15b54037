import { z } from 'zod';
import { definePlugin } from '../../pipeline/define-plugin.ts';

const accessLogConfigSchema = z.object({}).strict();

export type AccessLogConfig = z.infer<typeof accessLogConfigSchema>;

/** Logging range (0-499). */
export const accessLogPriority = 10;

/**
 * One structured line per request (id, method, path, model, provider, status, latencies,
 * stream, bytes, tokens). Never the prompt, the answer or a credential.
 */
export const accessLogDefinition = definePlugin<AccessLogConfig>({
  name: 'access-log',
  description: 'One JSON line per request in the log phase.',
  priority: accessLogPriority,
  configSchema: accessLogConfigSchema,
  enabledByDefault: true,
  implementation: async () => (await import('./index.ts')).createAccessLogPlugin,
});
