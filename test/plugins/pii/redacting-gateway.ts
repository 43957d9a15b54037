import assert from 'node:assert/strict';
import { chatCompletion } from '../../helpers/openai-bodies.ts';
import { startGateway } from '../../helpers/start-gateway.ts';
import { startStandIn } from '../../helpers/stand-in-server.ts';

/** A gateway whose routes each run pii with their own config in front of a stand-in that records what it received. */
export interface RedactingGateway {
  /** The user message as the provider received it, sent through the route of `model`. */
  forwarded(model: string, content: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts one: `routes` maps a model name a request names to the pii config (YAML flow) of its route. */
export async function startRedactingGateway(routes: Record<string, string>): Promise<RedactingGateway> {
  const upstream = await startStandIn((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(chatCompletion((request.json as { model: string }).model, 'ok', { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 })));
  });
  const gateway = await startGateway(
    [
      'providers:',
      `  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [m] }`,
      'routes:',
      ...Object.entries(routes).flatMap(([model, pii]) => [`  - match: { model: "${model}" }`, '    model: local/m', `    plugins: { pii: ${pii} }`]),
    ].join('\n'),
  );
  return {
    async forwarded(model, content) {
      const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
      assert.equal(response.status, 200);
      return (upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0].content;
    },
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}
