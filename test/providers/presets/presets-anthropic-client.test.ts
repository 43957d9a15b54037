import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { ledgerRecord } from '../../formats/openai-responses/ledger-record.ts';

interface SentMessage {
  role: string;
  content?: unknown;
  tool_calls?: unknown[];
  reasoning_content?: unknown;
  reasoning_signature?: unknown;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function completion(message: Record<string, unknown>, finishReason: string): Record<string, unknown> {
  return { id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: finishReason }], usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 } };
}

/**
 * Each service's rule for an assistant's reasoning_content, as its docs and error reports show:
 * DeepSeek's thinking mode refuses a tool-call turn without it (api-docs.deepseek.com/guides/thinking_mode),
 * Groq and Cerebras refuse the field itself; the rest take it.
 */
function refusal(service: string, messages: SentMessage[]): string | null {
  for (const [index, message] of messages.entries()) {
    if (message.role !== 'assistant') continue;
    if ('reasoning_signature' in message) return `messages.${index}.reasoning_signature: property is unsupported`;
    if (service === 'deepseek' && message.tool_calls && typeof message.reasoning_content !== 'string') return `Missing reasoning_content field in the assistant message at message index ${index}.`;
    if ((service === 'groq' || service === 'cerebras') && 'reasoning_content' in message) return `'messages.${index}' : for 'role:assistant' the following must be satisfied[('messages.${index}' : property 'reasoning_content' is unsupported)]`;
  }
  return null;
}

const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather of a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

/**
 * Anthropic SDK clients (an agent's tool loop with thinking) on OpenAI-format presets: the thinking
 * block of the assistant's turn goes back up as `reasoning_content` where the service takes it
 * (DeepSeek requires it), and is left out where the service refuses it (Groq, Cerebras) or has no
 * such field (OpenAI).
 */
describe('Anthropic clients on OpenAI-format presets: thinking in the history', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;

  before(async () => {
    upstream = await startStandIn((request: RecordedRequest, response) => {
      const service = request.path.split('/')[1];
      const body = request.json as { messages: SentMessage[]; stream?: boolean };
      const refused = refusal(service, body.messages);
      if (refused !== null) return json(response, 400, { error: { message: refused, type: 'invalid_request_error', param: null, code: 'invalid_request_error' } });
      if (!body.messages.some((message) => message.role === 'tool')) {
        const toolCall = { id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } };
        if (!body.stream) return json(response, 200, completion({ reasoning_content: 'The user wants the weather; call the tool.', tool_calls: [toolCall] }, 'tool_calls'));
        const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(
          sseBody([
            chunk({ role: 'assistant', content: null, reasoning_content: 'The user wants the weather; ' }),
            chunk({ reasoning_content: 'call the tool.' }),
            chunk({ tool_calls: [{ index: 0, ...toolCall }] }),
            chunk({}, 'tool_calls'),
            { ...chunk({}), choices: [], usage: { prompt_tokens: 12, completion_tokens: 8, total_tokens: 20 } },
            '[DONE]',
          ]),
        );
        return;
      }
      json(response, 200, completion({ reasoning_content: 'The tool said 21C.', content: 'It is 21°C in Paris.' }, 'stop'));
    });
    gateway = await startGateway(`
providers:
  deepseek: { type: deepseek, api_key: ds-key, base_url: "${upstream.url}/deepseek" }
  groq: { type: groq, api_key: groq-key, base_url: "${upstream.url}/groq" }
  cerebras: { type: cerebras, api_key: cerebras-key, base_url: "${upstream.url}/cerebras" }
  oai: { type: openai, api_key: oai-key, base_url: "${upstream.url}/openai" }
  local: { type: openai-compatible, base_url: "${upstream.url}/local" }
`);
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** Turn 1 (thinking + tool_use), then turn 2 sends it back with the tool's result; the assistant message turn 2 sent up. */
  async function toolLoop(model: string, stream: boolean): Promise<{ answer: Anthropic.Message; sentAssistant: SentMessage }> {
    const request = { model, max_tokens: 2048, thinking: { type: 'enabled' as const, budget_tokens: 1024 }, tools };
    const first: Anthropic.MessageParam = { role: 'user', content: 'Weather in Paris?' };
    const turn1 = stream ? await client.messages.stream({ ...request, messages: [first] }).finalMessage() : await client.messages.create({ ...request, messages: [first] });
    assert.deepEqual(turn1.content.map((block) => block.type), ['thinking', 'tool_use']);
    const toolUse = turn1.content.find((block) => block.type === 'tool_use')!;
    const answer = await client.messages.create({
      ...request,
      messages: [first, { role: 'assistant', content: turn1.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '21C' }] }],
    });
    const sent = upstream.requests.at(-1)!.json as { messages: SentMessage[] };
    return { answer, sentAssistant: sent.messages[1] };
  }

  it('deepseek: the thinking block goes back as reasoning_content, so the tool loop finishes (streamed turn 1 too)', async () => {
    for (const stream of [false, true]) {
      const { answer, sentAssistant } = await toolLoop('deepseek/deepseek-reasoner', stream);
      assert.equal(answer.content.find((block) => block.type === 'text')?.text, 'It is 21°C in Paris.');
      assert.equal(sentAssistant.reasoning_content, 'The user wants the weather; call the tool.');
      assert.equal('reasoning_signature' in sentAssistant, false);
      assert.equal(sentAssistant.tool_calls?.length, 1);
    }
  });

  it('any other OpenAI-compatible server gets reasoning_content too', async () => {
    const { sentAssistant } = await toolLoop('local/qwen3-8b', false);
    assert.equal(sentAssistant.reasoning_content, 'The user wants the weather; call the tool.');
  });

  for (const model of ['groq/openai/gpt-oss-120b', 'cerebras/gpt-oss-120b', 'oai/gpt-4o-mini']) {
    it(`${model.split('/')[0]}: reasoning_content is left out (the service refuses it, or has no such field)`, async () => {
      const { answer, sentAssistant } = await toolLoop(model, false);
      assert.equal(answer.stop_reason, 'end_turn');
      assert.equal('reasoning_content' in sentAssistant, false);
      assert.equal(sentAssistant.tool_calls?.length, 1);
    });
  }

  it('Responses API clients: the reasoning item of turn 1 goes back as reasoning_content, so a DeepSeek tool loop finishes', async () => {
    const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const responseTools: OpenAI.Responses.Tool[] = [{ type: 'function', name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: false }];
    for (const [model, expected] of [['deepseek/deepseek-reasoner', 'The user wants the weather; call the tool.'], ['groq/openai/gpt-oss-120b', undefined]] as const) {
      const first: OpenAI.Responses.ResponseInputItem = { role: 'user', content: 'Weather in Paris?' };
      const turn1 = await openai.responses.create({ model, input: [first], tools: responseTools });
      assert.deepEqual(turn1.output.map((item) => item.type), ['reasoning', 'function_call']);
      const call = turn1.output.find((item) => item.type === 'function_call')!;
      const turn2 = await openai.responses.create({
        model,
        tools: responseTools,
        input: [first, ...(turn1.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: '21C' }],
      });
      assert.equal(turn2.output_text, 'It is 21°C in Paris.');
      const sentAssistant = (upstream.requests.at(-1)!.json as { messages: SentMessage[] }).messages[1]!;
      assert.equal(sentAssistant.reasoning_content, expected, model);
      assert.equal(sentAssistant.tool_calls?.length, 1);
    }
  });

  it("an OpenAI client's own reasoning_content to Groq is dropped as a quirk (Groq would refuse it)", async () => {
    const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    await openai.chat.completions.create({
      model: 'groq/qwen/qwen3-32b',
      messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello', reasoning_content: 'greet back' } as never, { role: 'user', content: 'bye' }],
    });
    assert.deepEqual((upstream.requests[0].json as { messages: SentMessage[] }).messages[1], { role: 'assistant', content: 'hello' });
  });
});

/**
 * OpenRouter's documented mid-stream error (openrouter.ai/docs/api-reference/streaming): a chunk
 * with a top-level `error` and `choices[0].finish_reason: "error"`, then [DONE]. A translated
 * client must get it as an error, not as a normal end.
 */
describe('Anthropic and Responses clients on OpenRouter: a mid-stream error', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({ id: 'gen-1', object: 'chat.completion.chunk', created: 1, model: 'openai/gpt-4o-mini', provider: 'OpenAI', choices: [{ index: 0, delta, finish_reason: finish }] });

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(
        sseBody([
          chunk({ role: 'assistant', content: 'Hello ' }),
          { ...chunk({ content: '' }, 'error'), error: { code: 'server_error', message: 'Provider disconnected unexpectedly' } },
          '[DONE]',
        ]),
      );
    });
    gateway = await startGateway(`
providers:
  openrouter: { type: openrouter, api_key: or-key, base_url: "${upstream.url}/api/v1" }
`);
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('/v1/messages: the Anthropic SDK raises the error instead of ending with end_turn, and the ledger records it', async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    const stream = client.messages.stream({ model: 'openrouter/openai/gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    await assert.rejects(stream.finalMessage(), /Provider disconnected unexpectedly/);
    const requestId = (await stream.withResponse()).response.headers.get('x-request-id');
    assert.ok(requestId);
    const record = await ledgerRecord(gateway, requestId);
    assert.equal(record.error_code, 'server_error');
  });

  it('/v1/responses: the stream ends with response.failed', async () => {
    const client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
    const types: string[] = [];
    for await (const event of await client.responses.create({ model: 'openrouter/openai/gpt-4o-mini', input: 'hi', stream: true })) types.push(event.type);
    assert.equal(types.at(-1), 'response.failed');
  });
});
