import { z } from 'zod';
import { definePlugin } from '../../pipeline/define-plugin.ts';

const usageLedgerConfigSchema = z.object({}).strict();

export type UsageLedgerConfig = z.infer<typeof usageLedgerConfigSchema>;

/** Logging range (0-499): after the cost plugin (30) has priced the response. */
export const usageLedgerPriority = 20;

/**
 * The usage ledger's log-phase hook: one record per request, queued in memory (no I/O here);
 * the gateway's UsageLedger writes the queue to the store in batches. Enabled by default when a
 * store is open (with none, it has no hook and costs nothing); `plugins: { usage-ledger: false }`
 * stops recording, globally or on one route.
 */
export const usageLedgerDefinition = definePlugin<UsageLedgerConfig>({
  name: 'usage-ledger',
  description: 'One usage record per request (tokens, cost, latency, status), written to the store in batches.',
  priority: usageLedgerPriority,
  configSchema: usageLedgerConfigSchema,
  enabledByDefault: true,
  implementation: async () => (await import('./index.ts')).createUsageLedgerPlugin,
});
