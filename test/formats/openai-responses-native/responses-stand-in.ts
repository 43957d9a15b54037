import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

/**
 * A stand-in for OpenAI's Responses API (and Azure's v1 and preview routes to it), written from
 * OpenAI's public API reference: `POST /responses` answers a Response object, or with
 * `stream: true` the event stream in OpenAI's order (`response.created`, `response.in_progress`,
 * `response.output_item.added`, `response.content_part.added`, `response.output_text.delta`…,
 * `.done` events, `response.completed`), every event with `event:` and its `sequence_number`.
 * Responses are stored, so `previous_response_id`, retrieve, delete, cancel and input items work.
 * Models: `fail-500` / `busy-429` answer those errors in OpenAI's shape; `cut-stream` stops after
 * two deltas; `fail-stream` sends `response.failed`.
 */
export interface StoredResponse {
  response: Record<string, unknown>;
  input: unknown[];
}

export const usage = { input_tokens: 21, input_tokens_details: { cached_tokens: 5 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 30 };

export class ResponsesStandIn {
  readonly stored = new Map<string, StoredResponse>();
  #next = 1;

  handle = async (request: RecordedRequest, response: ServerResponse): Promise<void> => {
    const path = request.path.replace(/\?.*$/, '').replace(/^\/openai/, '').replace(/^\/v1/, '');
    const body = (request.json ?? {}) as Record<string, unknown>;
    if (request.method === 'POST' && path === '/responses') return this.#create(body, response);
    if (request.method === 'POST' && path === '/responses/input_tokens') return json(response, 200, { object: 'response.input_tokens', input_tokens: 42 });
    const match = /^\/responses\/([^/]+)(\/cancel|\/input_items)?$/.exec(path);
    const stored = match === null ? undefined : this.stored.get(match[1]);
    if (match === null || stored === undefined) return json(response, 404, { error: { message: `Response with id '${match?.[1] ?? ''}' not found.`, type: 'invalid_request_error', param: null, code: null } });
    if (request.method === 'DELETE') {
      this.stored.delete(match[1]);
      return json(response, 200, { id: match[1], object: 'response', deleted: true });
    }
    if (match[2] === '/cancel') return json(response, 200, { ...stored.response, status: 'cancelled' });
    if (match[2] === '/input_items') return json(response, 200, { object: 'list', data: stored.input, first_id: 'msg_in', last_id: 'msg_in', has_more: false });
    return json(response, 200, stored.response);
  };

  async #create(body: Record<string, unknown>, response: ServerResponse): Promise<void> {
    const model = String(body.model);
    if (model === 'fail-500') return json(response, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
    if (model === 'busy-429') return json(response, 429, { error: { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '0' });
    const previous = typeof body.previous_response_id === 'string' ? this.stored.get(body.previous_response_id) : undefined;
    if (body.previous_response_id !== undefined && body.previous_response_id !== null && previous === undefined) {
      return json(response, 400, { error: { message: `Previous response with id '${String(body.previous_response_id)}' not found.`, type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' } });
    }
    const id = `resp_${this.#next++}`;
    const turns = previous === undefined ? 1 : Number((previous.response.metadata as { turns?: string } | undefined)?.turns ?? '1') + 1;
    const text = `turn ${turns} answered by ${model}`;
    const message = { id: `msg_${id}`, type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [], logprobs: [] }] };
    const tools = Array.isArray(body.tools) ? body.tools : [];
    const searched = tools.some((tool) => (tool as { type?: unknown }).type === 'web_search');
    const output = searched ? [{ id: `ws_${id}`, type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'weather' } }, message] : [message];
    const full = {
      id,
      object: 'response',
      created_at: 1_760_000_000,
      status: 'completed',
      background: false,
      error: null,
      incomplete_details: null,
      instructions: body.instructions ?? null,
      max_output_tokens: body.max_output_tokens ?? null,
      model,
      output,
      parallel_tool_calls: true,
      previous_response_id: body.previous_response_id ?? null,
      reasoning: { effort: null, summary: null },
      service_tier: 'default',
      store: body.store ?? true,
      temperature: 1,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools,
      top_p: 1,
      truncation: 'disabled',
      usage,
      metadata: { turns: String(turns) },
    };
    this.stored.set(id, { response: full, input: typeof body.input === 'string' ? [{ id: 'msg_in', type: 'message', role: 'user', content: [{ type: 'input_text', text: body.input }] }] : ((body.input as unknown[]) ?? []) });
    if (body.stream !== true) return json(response, 200, full, { 'x-request-id': `req_${id}` });
    await this.#stream(response, full, message, model);
  }

  async #stream(response: ServerResponse, full: Record<string, unknown>, message: Record<string, unknown>, model: string): Promise<void> {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': `req_${String(full.id)}` });
    let sequence = 0;
    const send = (type: string, fields: Record<string, unknown>): void => {
      response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: sequence++ })}\n\n`);
    };
    const opening = { ...full, status: 'in_progress', output: [], usage: null };
    send('response.created', { response: opening });
    send('response.in_progress', { response: opening });
    const item = { ...message, status: 'in_progress', content: [] };
    send('response.output_item.added', { output_index: 0, item });
    send('response.content_part.added', { item_id: message.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    const text = ((message.content as Array<{ text: string }>)[0]).text;
    const words = text.split(/(?<= )/);
    for (const [index, delta] of words.entries()) {
      send('response.output_text.delta', { item_id: message.id, output_index: 0, content_index: 0, delta, logprobs: [] });
      await sleep(2);
      if (model === 'cut-stream' && index === 1) {
        response.destroy();
        return;
      }
    }
    if (model === 'fail-stream') {
      send('response.failed', { response: { ...full, status: 'failed', error: { code: 'server_error', message: 'The model failed.' }, usage: { ...usage, output_tokens: 2, total_tokens: 23 } } });
      response.end();
      return;
    }
    send('response.output_text.done', { item_id: message.id, output_index: 0, content_index: 0, text, logprobs: [] });
    send('response.content_part.done', { item_id: message.id, output_index: 0, content_index: 0, part: { type: 'output_text', text, annotations: [], logprobs: [] } });
    send('response.output_item.done', { output_index: 0, item: message });
    send('response.completed', { response: full });
    response.end();
  }
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
