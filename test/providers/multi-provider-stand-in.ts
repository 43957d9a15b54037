import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../helpers/stand-in-server.ts';

/**
 * One stand-in that answers as every translated provider does (by the path the gateway calls), a
 * gateway with one provider of each type pointed at it, and both official SDKs as its clients:
 * for tests of one rule across the adapters (data URLs, documents, refused parameters).
 *
 * Providers: `ant` (anthropic), `gem` (gemini), `vtx` (vertex, Gemini models), `br` (bedrock),
 * `co` (cohere), `oll` (ollama), `oai` (openai), `compat` (openai-compatible). `strict` turns
 * strict_params on for each of them.
 */
export interface MultiProviderGateway {
  upstream: StandIn;
  gateway: RunningGateway;
  openai: OpenAI;
  anthropic: Anthropic;
  /** Every log line of the gateway, parsed (warnings of dropped parameters among them). */
  logLines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A recorded answer of test/fixtures/<provider>/. */
function fixture(provider: string, name: string): Buffer {
  return readFileSync(new URL(`../fixtures/${provider}/${name}`, import.meta.url));
}

const geminiAnswer = { candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 6 } };

/** Answers each provider's chat call in its own shape, by the path the gateway calls. */
function answer(request: RecordedRequest, response: ServerResponse): void {
  const path = request.path;
  if (path === '/v1/messages') return json(response, { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } });
  if (path.includes(':generateContent')) return json(response, geminiAnswer);
  if (path.startsWith('/model/') && path.endsWith('/converse')) return json(response, { output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn', usage: { inputTokens: 5, outputTokens: 1, totalTokens: 6 }, metrics: { latencyMs: 10 } });
  if (path === '/v2/chat') {
    response.writeHead(200, { 'content-type': 'application/json' });
    return void response.end(fixture('cohere', 'chat-text.json'));
  }
  if (path === '/api/chat') {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    return void response.end(fixture('ollama', 'chat-text.json'));
  }
  if (path === '/v1/chat/completions') {
    return json(response, { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } });
  }
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { message: `no such path: ${path}` } }));
}

export async function startMultiProviderGateway(options: { strict?: boolean } = {}): Promise<MultiProviderGateway> {
  const upstream = await startStandIn(answer);
  const url = upstream.url;
  const strict = options.strict ? ', strict_params: true' : '';
  const logLines: Array<Record<string, unknown>> = [];
  const gateway = await startGateway(
    `
providers:
  ant: { type: anthropic, api_key: ant-key, base_url: "${url}"${strict} }
  gem: { type: gemini, api_key: gem-key, base_url: "${url}"${strict} }
  vtx: { type: vertex, api_key: ya29.test-token, base_url: "${url}", options: { project: p1, location: us-central1 }${strict} }
  br: { type: bedrock, api_key: bedrock-key, base_url: "${url}", options: { region: us-east-1 }${strict} }
  co: { type: cohere, api_key: co-key, base_url: "${url}"${strict} }
  oll: { type: ollama, base_url: "${url}"${strict} }
  oai: { type: openai, api_key: sk-test, base_url: "${url}/v1"${strict} }
  compat: { type: openai-compatible, base_url: "${url}/v1"${strict} }
`,
    {},
    { logLines },
  );
  return {
    upstream,
    gateway,
    openai: new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 }),
    logLines,
    close: async () => {
      await gateway.close();
      await upstream.close();
    },
  };
}

/** The body of the last request the stand-in got whose path includes `pathPart`. */
export function lastBody(upstream: StandIn, pathPart: string): Record<string, unknown> {
  const request = upstream.requests.findLast((recorded) => recorded.path.includes(pathPart));
  if (request === undefined) throw new Error(`no request to a path with '${pathPart}'`);
  return request.json as Record<string, unknown>;
}

/** The path part that tells each provider's chat call apart on the shared stand-in. */
export const chatPaths = {
  ant: '/v1/messages',
  gem: '/v1beta/models/',
  vtx: '/v1/projects/p1/',
  br: '/converse',
  co: '/v2/chat',
  oll: '/api/chat',
  oai: '/v1/chat/completions',
} as const;
