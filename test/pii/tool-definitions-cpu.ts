/**
 * CPU of the pii request pass on a chat request with a short system and user message, alone and
 * with 30 realistic tool definitions (tool-definitions-fixtures.ts: 174 distinct texts, 6.8 KB),
 * every built-in detector on. "first seen": the definitions are new to the plugin instance (one
 * instance per request, made before the clock starts); "seen before": the same tools as an earlier
 * request (an agent's next turn; clean-texts.ts). Bodies are parsed from JSON as the gateway does. Each case: median of
 * 7 runs of 200 requests, CPU time (user + system) per request.
 * Run: node_modules/.bin/node test/pii/tool-definitions-cpu.ts
 */
import pino from 'pino';
import { createPiiPlugin } from '../../src/plugins/pii/index.ts';
import { piiConfigSchema } from '../../src/plugins/pii/pii-config.ts';
import type { RequestContext } from '../../src/pipeline/context.ts';
import { realisticTools } from './tool-definitions-fixtures.ts';

const logger = pino({ level: 'silent' });
const messages = [
  { role: 'system', content: 'You are the support assistant of Acme. Use the tools to look things up; never guess order or invoice numbers.' },
  { role: 'user', content: 'Hi, my order ORD-2024-118342 has not arrived yet and the tracking page shows nothing since Monday. Can you check?' },
];

type Case = 'messages only' | 'first seen' | 'seen before';

function cpuPerRequest(action: 'redact' | 'mask', which: Case): number {
  const config = piiConfigSchema.parse({ request: action });
  const shared = createPiiPlugin(config, { logger } as never);
  const text = JSON.stringify(which === 'messages only' ? { model: 'm', messages } : { model: 'm', messages, tools: realisticTools });
  const runs: number[] = [];
  for (let run = 0; run < 8; run++) {
    const plugins = Array.from({ length: 200 }, () => (which === 'first seen' ? createPiiPlugin(config, { logger } as never) : shared));
    const started = process.cpuUsage();
    for (const plugin of plugins) {
      const ctx = { id: 'r', operation: 'chat', body: JSON.parse(text), state: new Map(), bodyChanged: false } as unknown as RequestContext;
      plugin.onRequest!(ctx);
    }
    const used = process.cpuUsage(started);
    // The first run warms up.
    if (run > 0) runs.push((used.user + used.system) / 1000 / plugins.length);
  }
  runs.sort((left, right) => left - right);
  return runs[Math.floor(runs.length / 2)];
}

for (const action of ['redact', 'mask'] as const) {
  const cases = (['messages only', 'first seen', 'seen before'] as const).map((which) => `${which} ${cpuPerRequest(action, which).toFixed(3)} ms`);
  console.log(`request: ${action}: ${cases.join(', ')} (JSON.parse included)`);
}
