import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

/**
 * An OpenAI-compatible provider whose every answer reports 10 prompt and 5 completion tokens: at
 * the prices of `pricedProviderConfig` ($1,000 / $2,000 per million) each call costs exactly
 * $0.02. Streams end with the usage chunk when asked for it (the gateway always asks). The model
 * name picks a failure: `fails-500…` answers 500, `limited-<seconds>` answers 429 with that
 * Retry-After.
 */
export async function startPricedStandIn(): Promise<StandIn> {
  let served = 0;
  return startStandIn((request, response) => {
    const body = request.json as { model: string; stream?: boolean; stream_options?: { include_usage?: boolean } };
    if (body.model.startsWith('fails-500')) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }));
      return;
    }
    const limited = /^limited-(\d+)$/.exec(body.model);
    if (limited) {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': limited[1] });
      response.end(JSON.stringify({ error: { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }));
      return;
    }
    served++;
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    if (body.stream) {
      const chunk = (delta: object, finish: string | null = null) => ({ id: `chatcmpl-${served}`, object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
      const events: unknown[] = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'one two three four five' }), chunk({}, 'stop')];
      if (body.stream_options?.include_usage) events.push({ id: `chatcmpl-${served}`, object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [], usage });
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([...events, '[DONE]']));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: `chatcmpl-${served}`,
        object: 'chat.completion',
        created: 1700000000,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'one two three four five', refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage,
      }),
    );
  });
}

/** The provider `up` at the stand-in, with the prices that make each answer cost $0.02. */
export function pricedProviderConfig(upstream: StandIn): string {
  return `
providers:
  up: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: sk-upstream, models: [m1, m2, fails-500, limited-2, limited-120] }
pricing:
  up: { "*": { input: 1000, output: 2000 } }
zero_config: false
`;
}

/** The models the stand-in was asked for, in order. */
export function modelsCalled(upstream: StandIn, from = 0): string[] {
  return upstream.requests.slice(from).map((request) => (request.json as { model: string }).model);
}
