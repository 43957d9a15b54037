import { setTimeout as sleep } from 'node:timers/promises';
import { sseBody, startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

/**
 * How a stand-in upstream answers the next request: `ok`, `500`, `429:<retry-after-ms>`,
 * `reset` (socket destroyed before any answer), `cut` (200 then the socket is destroyed mid-body),
 * `hang` (never answers), `context` / `filter` (OpenAI's context-length / content-policy 400s).
 */
export type Mode = 'ok' | '500' | `429:${number}` | 'reset' | 'cut' | 'hang' | 'context' | 'filter';

export interface ControlledUpstream {
  name: string;
  standIn: StandIn;
  url: string;
  /** The modes of the next requests, then `mode` for the rest. */
  queue: Mode[];
  mode: Mode;
  /** Chat requests received. */
  hits: number;
  /** GET /models answers with this status (active health checks). */
  modelsStatus: number;
}

function chatCompletion(model: string, content: string): string {
  return JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
}

function chunk(model: string, content: string): object {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta: { content }, finish_reason: null }] };
}

/** Starts a stand-in whose failures the test commands; `order` records which upstream got each request. */
export async function controlledUpstream(name: string, order: string[] = []): Promise<ControlledUpstream> {
  const control = { name, queue: [] as Mode[], mode: 'ok' as Mode, hits: 0, modelsStatus: 200 } as ControlledUpstream;
  control.standIn = await startStandIn(async (request, response, raw) => {
    if (request.method === 'GET') {
      response.writeHead(control.modelsStatus, { 'content-type': 'application/json' });
      response.end('{"object":"list","data":[]}');
      return;
    }
    control.hits++;
    order.push(name);
    const mode = control.queue.shift() ?? control.mode;
    const body = request.json as { model: string; stream?: boolean };
    if (mode === 'ok') {
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(sseBody([chunk(body.model, `from ${name}`)]));
        await sleep(5);
        response.end(sseBody([chunk(body.model, ' done'), '[DONE]']));
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(chatCompletion(body.model, `from ${name}`));
      }
    } else if (mode === '500') {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'internal error', type: 'server_error', code: null } }));
    } else if (mode.startsWith('429:')) {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': mode.slice(4) });
      response.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }));
    } else if (mode === 'reset') {
      raw.socket.destroy();
    } else if (mode === 'cut') {
      if (body.stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(sseBody([chunk(body.model, `partial from ${name}`)]));
      } else {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        response.write('{"id":"chatcmpl-1","object":"chat.comp');
      }
      await sleep(30);
      raw.socket.destroy();
    } else if (mode === 'hang') {
      await new Promise<void>((resolve) => raw.socket.once('close', () => resolve()));
    } else if (mode === 'context') {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: "This model's maximum context length is 1000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }));
    } else if (mode === 'filter') {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Your request was rejected by the content filter.', type: 'invalid_request_error', param: null, code: 'content_policy_violation' } }));
    }
  });
  control.url = control.standIn.url;
  return control;
}

/** A port with nothing listening (bound, then released). */
export { freePort as deadPort } from '../helpers/free-port.ts';

export interface Answer {
  status: number;
  headers: Headers;
  body: { error?: { code: string; message: string }; choices?: Array<{ message: { content: string } }> };
  ms: number;
}

/** POSTs a chat completion with fetch (headers are what these tests look at). */
export async function chat(baseURL: string, model: string, headers: Record<string, string> = {}, content = 'hello'): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
  const body = (await response.json()) as Answer['body'];
  return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
}

/** YAML lines for providers named after the upstreams. */
export function providersYaml(upstreams: ControlledUpstream[], extra = ''): string {
  return upstreams.map((upstream) => `  ${upstream.name}: { type: openai-compatible, base_url: "${upstream.url}/v1"${extra} }`).join('\n');
}
