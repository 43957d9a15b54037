import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI, { BadRequestError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';

/** An `assert.rejects` check: a 400 in OpenAI's error shape with this code and param. */
function isBadRequest(code: string, param: string | null): (error: unknown) => true {
  return (error: unknown) => {
    assert.ok(error instanceof BadRequestError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.code, code);
    assert.equal(error.param, param);
    assert.equal((error.error as { type?: string }).type, 'invalid_request_error');
    assert.ok(error.headers?.get('x-request-id'));
    return true;
  };
}

describe('Responses API clients (official openai SDK) through the gateway: echo test provider', () => {
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    gateway = await startGateway('{}');
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  after(() => gateway.close());

  it('responses.create answers a Response; output_text, usage, instructions and metadata come back', async () => {
    const { data: response, response: http } = await client.responses.create({ model: 'echo/x', instructions: 'Be brief.', input: 'hello from responses', metadata: { ticket: 'T-1' }, store: true }).withResponse();
    assert.equal(http.status, 200);
    assert.equal(http.headers.get('x-tollgate-provider'), 'echo');
    assert.ok(http.headers.get('x-request-id'));
    assert.equal(response.object, 'response');
    assert.match(response.id, /^resp_/);
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, 'hello from responses');
    assert.equal(response.instructions, 'Be brief.');
    assert.deepEqual(response.metadata, { ticket: 'T-1' });
    // Not in the SDK's Response type, but OpenAI's JSON has it: false, nothing is stored, whatever the client asked.
    assert.equal((response as unknown as { store: boolean }).store, false);
    assert.equal(response.previous_response_id, null);
    assert.equal(response.error, null);
    assert.ok(Math.abs(response.created_at - Date.now() / 1000) < 60);
    assert.ok(response.usage && response.usage.input_tokens > 0 && response.usage.output_tokens > 0);
    assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
  });

  it('a list of items and an image part: the echo answers the last user text', async () => {
    const response = await client.responses.create({
      model: 'echo/x',
      input: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'input_text', text: 'What is in this picture?' }, { type: 'input_image', image_url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'auto' }] },
      ],
    });
    assert.equal(response.output_text, 'What is in this picture?');
  });

  it('create({ stream: true }) streams the Responses events in order, ending with response.completed and usage', async () => {
    const stream = await client.responses.create({ model: 'echo/x', input: 'one two three four five', stream: true });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((event) => event.type);
    assert.deepEqual(types.slice(0, 4), ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    assert.deepEqual(types.slice(-4), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
    assert.ok(deltas.length > 1, 'several deltas');
    assert.equal(deltas.join(''), 'one two three four five');
    assert.deepEqual(
      events.map((event) => event.sequence_number),
      events.map((_, index) => index),
    );
    const completed = events.at(-1);
    assert.ok(completed?.type === 'response.completed');
    assert.ok(completed.response.usage && completed.response.usage.output_tokens > 0);
    assert.equal(completed.response.id, (events[0] as { response: { id: string } }).response.id);
  });

  it('responses.stream(...) with finalResponse(): the SDK helper assembles the answer', async () => {
    const stream = client.responses.stream({ model: 'echo/x', input: 'streamed through the helper' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    assert.equal(final.output_text, 'streamed through the helper');
    assert.equal(deltas.join(''), 'streamed through the helper');
    assert.equal(final.status, 'completed');
    assert.ok(final.usage && final.usage.input_tokens > 0);
  });

  it('the path without /v1 works too', async () => {
    const http = await fetch(`${gateway.url}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', input: 'bare path' }) });
    assert.equal(http.status, 200);
    assert.equal(((await http.json()) as { output: Array<{ content: Array<{ text: string }> }> }).output[0].content[0].text, 'bare path');
  });

  it('refusals are 400s in OpenAI error shape, naming the parameter', async () => {
    await assert.rejects(client.responses.create({ model: 'echo/x', input: 'x', previous_response_id: 'resp_123' }), isBadRequest('unsupported_parameter', 'previous_response_id'));
    await assert.rejects(client.responses.create({ model: 'echo/x', input: 'x', conversation: 'conv_1' }), isBadRequest('unsupported_parameter', 'conversation'));
    await assert.rejects(client.responses.create({ model: 'echo/x', input: 'x', background: true }), isBadRequest('unsupported_value', 'background'));
    await assert.rejects(client.responses.create({ model: 'echo/x', input: 'x', tools: [{ type: 'web_search' }] }), isBadRequest('unsupported_value', 'tools[0].type'));
    await assert.rejects(client.responses.create({ model: 'echo/x', input: 'x', tools: [{ type: 'file_search', vector_store_ids: ['vs_1'] }] }), isBadRequest('unsupported_value', 'tools[0].type'));
    await assert.rejects(client.responses.create({ model: 'echo/x', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1', detail: 'auto' }] }] }), isBadRequest('unsupported_value', 'input[0].content[0].file_id'));
    await assert.rejects(client.responses.create({ model: 'echo/x' }), isBadRequest('missing_required_parameter', 'input'));
    await assert.rejects(client.responses.create({ model: 'echo/x', input: [] }), isBadRequest('invalid_request', 'input'));
    await assert.rejects(client.responses.create({ model: 'echo/x', input: [{ type: 'function_call_output', call_id: 'call_1', output: 'x' }] }), isBadRequest('invalid_request', 'input[0].call_id'));
    // A stream that is refused is refused before it starts: an HTTP error, not an event.
    await assert.rejects(client.responses.create({ model: 'echo/x', input: 'x', previous_response_id: 'resp_1', stream: true }), isBadRequest('unsupported_parameter', 'previous_response_id'));
  });

  it('bad JSON, a wrong method, stored-response paths and an unknown model get OpenAI-shaped errors', async () => {
    const badJson = await fetch(`${gateway.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "echo/x", "input": ' });
    assert.equal(badJson.status, 400);
    const body = (await badJson.json()) as { error: { code: string; type: string; param: unknown; message: string } };
    assert.equal(body.error.code, 'invalid_json');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.ok('param' in body.error);

    const get = await fetch(`${gateway.baseURL}/responses`);
    assert.equal(get.status, 405);
    assert.equal(((await get.json()) as { error: { code: string } }).error.code, 'method_not_allowed');

    const retrieve = await fetch(`${gateway.baseURL}/responses/resp_123`);
    assert.equal(retrieve.status, 404);
    assert.equal(((await retrieve.json()) as { error: { code: string } }).error.code, 'unknown_url');

    await assert.rejects(client.responses.create({ model: 'nobody/nothing', input: 'x' }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.code, 'model_not_found');
      return true;
    });
  });
});
