import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../helpers/stand-in-server.ts';

// A blind audit (guardrails-4, H1) found tool definitions reaching the provider unscanned: an
// e-mail address and a card number in a chat tool's description, in a parameter's default, in
// Messages and Responses tool descriptions went through under `pii: {request: redact}`.

const billing = 'billing.ops@example-corp.com';
const receipts = 'receipts@acme-mail.com';
const card = '4539 5787 6362 1486';
const description = `Sends a receipt. Copies go to ${billing}; the company card ${card} is charged.`;
/** The parameters: an e-mail address as a default, the card as the one allowed value. */
const parameters = {
  type: 'object',
  properties: {
    to: { type: 'string', description: 'Recipient address.', default: receipts },
    card: { type: 'string', description: 'Card to charge.', enum: [card] },
  },
  required: ['to', 'card'],
  additionalProperties: false,
};
const prompt = 'Please send my receipt.';

/** What the provider read where the tool's description, default and enum are, in either wire format. */
interface ReadTool {
  description: string;
  to: string;
  card: string;
}

function readTool(body: unknown): ReadTool {
  const tool = (body as { tools: Array<Record<string, unknown>> }).tools[0];
  const definition = (tool.function ?? tool) as { description: string; parameters?: typeof parameters; input_schema?: typeof parameters };
  const schema = definition.parameters ?? definition.input_schema;
  return { description: definition.description, to: schema?.properties.to?.default ?? '', card: schema?.properties.card?.enum[0] ?? '' };
}

/** Pieces of five characters, so a placeholder is cut in the middle. */
function piecesOf(text: string): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += 5) pieces.push(text.slice(index, index + 5));
  return pieces;
}

/**
 * A provider whose model takes the default and the allowed value it read in the tool definition:
 * a text naming them and a call to the tool with them as its arguments (chat completions or
 * Messages, streamed or not).
 */
function reply(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { stream?: boolean; tools?: unknown[]; response_format?: { json_schema?: { schema: { properties: { recipient: { enum: string[] } } } } } };
  const tool = body.tools?.length === 1 ? (body.tools[0] as { name?: string; function?: { name?: string } }) : null;
  const read = (tool?.function?.name ?? tool?.name) === 'send_receipt' ? readTool(body) : null;
  const format = body.response_format?.json_schema?.schema.properties.recipient;
  // Asked for JSON: the first value the schema allows.
  const text = format ? JSON.stringify({ recipient: format.enum[0] }) : read ? `Sending to ${read.to}, charging ${read.card}.` : 'ok';
  const input = read ? { to: read.to, card: read.card } : null;
  if (request.path.endsWith('/chat/completions')) {
    if (input === null) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'chatcmpl-t', object: 'chat.completion', created: 1700000000, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } }));
      return;
    }
    const chunk = (delta: object, finish: string | null = null) => ({ id: 'chatcmpl-t', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] });
    if (body.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(
        sseBody([
          chunk({ role: 'assistant', content: '' }),
          ...piecesOf(text).map((content) => chunk({ content })),
          chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'send_receipt', arguments: '' } }] }),
          ...piecesOf(JSON.stringify(input)).map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })),
          chunk({}, 'tool_calls'),
          '[DONE]',
        ]),
      );
      return;
    }
    const message = { role: 'assistant', content: text, refusal: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'send_receipt', arguments: JSON.stringify(input) } }] };
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'chatcmpl-t', object: 'chat.completion', created: 1700000000, model: 'gpt-4o-mini', choices: [{ index: 0, message, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 } }));
    return;
  }
  const message = { id: 'msg_t', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', stop_sequence: null };
  if (input === null) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...message, content: [{ type: 'text', text }], stop_reason: 'end_turn', usage: { input_tokens: 10, output_tokens: 10 } }));
    return;
  }
  if (body.stream) {
    const event = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(
      [
        event('message_start', { message: { ...message, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        ...piecesOf(text).map((piece) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } })),
        event('content_block_stop', { index: 0 }),
        event('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'send_receipt', input: {} } }),
        ...piecesOf(JSON.stringify(input)).map((piece) => event('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: piece } })),
        event('content_block_stop', { index: 1 }),
        event('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 10 } }),
        event('message_stop', {}),
      ].join(''),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ ...message, content: [{ type: 'text', text }, { type: 'tool_use', id: 'toolu_1', name: 'send_receipt', input }], stop_reason: 'tool_use', usage: { input_tokens: 10, output_tokens: 10 } }));
}

const chatTool: OpenAI.ChatCompletionTool = { type: 'function', function: { name: 'send_receipt', description, parameters } };
const messagesTool: Anthropic.Tool = { name: 'send_receipt', description, input_schema: parameters as Anthropic.Tool.InputSchema };
const responsesTool: OpenAI.Responses.FunctionTool = { type: 'function', name: 'send_receipt', description, parameters, strict: false };

describe('pii: tool definitions (and the other texts beside the messages) are scanned on the request', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;

  before(async () => {
    upstream = await startStandIn(reply);
    const route = (name: string, model: string, pii: string) => [`  - match: { model: "${name}" }`, `    model: ${model}`, `    plugins: { pii: ${pii} }`];
    gateway = await startGateway(
      [
        'providers:',
        `  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }`,
        `  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }`,
        'routes:',
        ...['redact', 'mask', 'block'].flatMap((action) => [...route(action, 'oai/gpt-4o-mini', `{ request: ${action} }`), ...route(`a-${action}`, 'claude/claude-sonnet-4-5', `{ request: ${action} }`)]),
        // The client names the provider's own model: its bytes may be forwarded as they are.
        ...route('gpt-4o-mini', 'oai/gpt-4o-mini', '{ request: redact }'),
        ...route('claude-sonnet-4-5', 'claude/claude-sonnet-4-5', '{ request: redact }'),
      ].join('\n'),
    );
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  /** The one request the provider got, with none of the values in it. */
  function sent(): RecordedRequest {
    assert.equal(upstream.requests.length, 1);
    const request = upstream.requests[0];
    for (const value of [billing, receipts, card, '4539']) assert.ok(!request.body.includes(value), `${value} reached the provider: ${request.body}`);
    return request;
  }

  async function refused(call: Promise<unknown>, labels: string): Promise<void> {
    const error = await call.then(
      () => assert.fail('the request was forwarded'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof OpenAI.APIError || error instanceof Anthropic.APIError, String(error));
    assert.equal(error.status, 400);
    if (error instanceof OpenAI.APIError) {
      assert.equal(error.code, 'pii_detected');
      assert.match(error.message, new RegExp(labels));
    } else {
      const body = error.error as { error?: { type?: string; message?: string } };
      assert.equal(body.error?.type, 'invalid_request_error');
      assert.match(String(body.error?.message), new RegExp(labels));
    }
    assert.equal(upstream.requests.length, 0, 'nothing was sent upstream');
  }

  const redacted: ReadTool = { description: 'Sends a receipt. Copies go to [EMAIL]; the company card [CREDIT_CARD] is charged.', to: '[EMAIL]', card: '[CREDIT_CARD]' };
  const masked: ReadTool = { description: 'Sends a receipt. Copies go to <EMAIL_1>; the company card <CREDIT_CARD_1> is charged.', to: '<EMAIL_2>', card: '<CREDIT_CARD_1>' };
  const restoredText = `Sending to ${receipts}, charging ${card}.`;

  describe('chat (openai SDK)', () => {
    const create = (model: string) => openai.chat.completions.create({ model, messages: [{ role: 'user', content: prompt }], tools: [chatTool] });

    it('redact: the provider reads the labels in the description, the default and the enum; the names are kept', async () => {
      await create('redact');
      const request = sent();
      assert.deepEqual(readTool(request.json), redacted);
      const fn = (request.json as { tools: Array<{ function: { name: string; parameters: typeof parameters } }> }).tools[0].function;
      assert.equal(fn.name, 'send_receipt');
      assert.deepEqual(Object.keys(fn.parameters.properties), ['to', 'card']);
      assert.deepEqual(fn.parameters.required, ['to', 'card']);
    });

    it('mask: placeholders go up, and the answer (text and tool call arguments) gets the originals back', async () => {
      const completion = await create('mask');
      assert.deepEqual(readTool(sent().json), masked);
      const message = completion.choices[0].message;
      assert.equal(message.content, restoredText);
      const call = message.tool_calls![0] as OpenAI.ChatCompletionMessageFunctionToolCall;
      assert.deepEqual(JSON.parse(call.function.arguments), { to: receipts, card });
    });

    it('mask, streamed: the placeholders cut over chunks are restored in the text and the call arguments', async () => {
      const stream = await openai.chat.completions.create({ model: 'mask', stream: true, messages: [{ role: 'user', content: prompt }], tools: [chatTool] });
      let content = '';
      let args = '';
      for await (const chunk of stream) {
        content += chunk.choices[0]?.delta?.content ?? '';
        for (const call of chunk.choices[0]?.delta?.tool_calls ?? []) args += call.function?.arguments ?? '';
      }
      sent();
      assert.equal(content, restoredText);
      assert.deepEqual(JSON.parse(args), { to: receipts, card });
    });

    it('block: 400 pii_detected naming the types, nothing sent', async () => {
      await refused(create('block'), 'CREDIT_CARD, EMAIL');
    });

    it('an OpenAI custom tool’s description and the legacy `functions` are read too', async () => {
      const custom = { model: 'redact', messages: [{ role: 'user', content: prompt }], tools: [{ type: 'custom', custom: { name: 'send_receipt', description } }] };
      const functions = { model: 'redact', messages: [{ role: 'user', content: prompt }], functions: [{ name: 'send_receipt', description, parameters }] };
      for (const body of [custom, functions]) {
        const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        assert.equal(response.status, 200);
      }
      const [customSent, functionsSent] = upstream.requests.map((request) => request.json as { tools?: Array<{ custom: { name: string; description: string } }>; functions?: Array<{ description: string; parameters: typeof parameters }> });
      assert.deepEqual(customSent.tools![0].custom, { name: 'send_receipt', description: redacted.description });
      assert.equal(functionsSent.functions![0].description, redacted.description);
      assert.equal(functionsSent.functions![0].parameters.properties.to.default, '[EMAIL]');
    });

    it('a default alone, in a nested schema, is found too', async () => {
      const nested = { type: 'object', properties: { recipient: { type: 'object', properties: { address: { type: 'string', default: receipts } } } } };
      await refused(openai.chat.completions.create({ model: 'block', messages: [{ role: 'user', content: prompt }], tools: [{ type: 'function', function: { name: 'send_receipt', parameters: nested } }] }), 'EMAIL');
    });
  });

  describe('Messages (@anthropic-ai/sdk)', () => {
    const create = (model: string) => anthropic.messages.create({ model, max_tokens: 100, messages: [{ role: 'user', content: prompt }], tools: [messagesTool] });

    for (const [route, provider] of [
      ['a-', 'to an Anthropic provider'],
      ['', 'translated to an OpenAI provider'],
    ] as const) {
      it(`redact, ${provider}: the labels in the description, the default and the enum`, async () => {
        await create(`${route}redact`);
        assert.deepEqual(readTool(sent().json), redacted);
      });

      it(`mask, ${provider}: placeholders go up; the text and the tool_use input get the originals back`, async () => {
        const message = await create(`${route}mask`);
        assert.deepEqual(readTool(sent().json), masked);
        const text = message.content.find((block) => block.type === 'text');
        const toolUse = message.content.find((block) => block.type === 'tool_use');
        assert.equal(text?.type === 'text' && text.text, restoredText);
        assert.deepEqual(toolUse?.type === 'tool_use' && toolUse.input, { to: receipts, card });
      });

      it(`mask, streamed, ${provider}: the tool_use input is restored`, async () => {
        const message = await anthropic.messages.stream({ model: `${route}mask`, max_tokens: 100, messages: [{ role: 'user', content: prompt }], tools: [messagesTool] }).finalMessage();
        sent();
        const toolUse = message.content.find((block) => block.type === 'tool_use');
        assert.deepEqual(toolUse?.type === 'tool_use' && toolUse.input, { to: receipts, card });
      });

      it(`block, ${provider}: 400, nothing sent`, async () => {
        await refused(create(`${route}block`), 'CREDIT_CARD, EMAIL');
      });
    }
  });

  describe('Responses (openai SDK)', () => {
    const create = (model: string) => openai.responses.create({ model, input: prompt, tools: [responsesTool] });

    it('redact: the labels in the description, the default and the enum', async () => {
      await create('redact');
      assert.deepEqual(readTool(sent().json), redacted);
    });

    it('mask: the function call arguments get the originals back; the tools the Response repeats are the client’s own', async () => {
      const response = await create('mask');
      assert.deepEqual(readTool(sent().json), masked);
      const call = response.output.find((item) => item.type === 'function_call');
      assert.deepEqual(call?.type === 'function_call' && JSON.parse(call.arguments), { to: receipts, card });
      assert.equal(response.output_text, restoredText);
      const echoed = response.tools[0] as OpenAI.Responses.FunctionTool;
      assert.equal(echoed.description, description);
      assert.deepEqual(echoed.parameters, parameters);
    });

    it('block: 400, nothing sent', async () => {
      await refused(create('block'), 'CREDIT_CARD, EMAIL');
    });
  });

  describe('response formats, predicted output, refusals in the history', () => {
    const schema = {
      type: 'object',
      properties: { recipient: { type: 'string', description: `Where the receipt went (usually ${billing}).`, enum: [receipts, 'none'] } },
      required: ['recipient'],
      additionalProperties: false,
    };

    it('a json_schema response format: redacted, and under mask an enum value the model answers with is restored (chat, Responses, Messages)', async () => {
      await openai.chat.completions.create({ model: 'redact', messages: [{ role: 'user', content: prompt }], response_format: { type: 'json_schema', json_schema: { name: 'receipt', schema, strict: true } } });
      const chatSchema = (sent().json as { response_format: { json_schema: { name: string; schema: typeof schema } } }).response_format.json_schema;
      assert.equal(chatSchema.name, 'receipt');
      assert.equal(chatSchema.schema.properties.recipient.description, 'Where the receipt went (usually [EMAIL]).');
      assert.deepEqual(chatSchema.schema.properties.recipient.enum, ['[EMAIL]', 'none']);
      upstream.requests.length = 0;
      await openai.responses.create({ model: 'redact', input: prompt, text: { format: { type: 'json_schema', name: 'receipt', schema, strict: true } } });
      assert.ok(sent().body.includes('(usually [EMAIL])'));
      upstream.requests.length = 0;
      await anthropic.messages.create({ model: 'a-redact', max_tokens: 100, messages: [{ role: 'user', content: prompt }], output_config: { format: { type: 'json_schema', schema } } } as never);
      assert.ok(sent().body.includes('(usually [EMAIL])'));
      upstream.requests.length = 0;
      await refused(openai.responses.create({ model: 'block', input: prompt, text: { format: { type: 'json_schema', name: 'receipt', schema, strict: true } } }), 'EMAIL');
      // mask: the model may only answer a placeholder it was given; the client reads the original.
      const completion = await openai.chat.completions.create({ model: 'mask', messages: [{ role: 'user', content: prompt }], response_format: { type: 'json_schema', json_schema: { name: 'receipt', schema, strict: true } } });
      const maskedSchema = (sent().json as { response_format: { json_schema: { schema: typeof schema } } }).response_format.json_schema.schema;
      assert.deepEqual(maskedSchema.properties.recipient.enum, ['<EMAIL_2>', 'none']);
      assert.deepEqual(JSON.parse(completion.choices[0].message.content!), { recipient: receipts });
    });

    it('prediction.content (a string, and text parts) and an assistant refusal in the history', async () => {
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'Mail the receipt to my colleague.' },
        { role: 'assistant', content: null, refusal: `I cannot send receipts to ${billing}.` },
        { role: 'user', content: prompt },
      ];
      await openai.chat.completions.create({ model: 'redact', messages, prediction: { type: 'content', content: `Receipt for ${receipts}` } });
      const body = sent().json as { messages: Array<{ refusal?: string }>; prediction: { content: string } };
      assert.equal(body.messages[1].refusal, 'I cannot send receipts to [EMAIL].');
      assert.equal(body.prediction.content, 'Receipt for [EMAIL]');
      upstream.requests.length = 0;
      await openai.chat.completions.create({ model: 'redact', messages: [{ role: 'user', content: prompt }], prediction: { type: 'content', content: [{ type: 'text', text: 'Card: 4539 5787' }, { type: 'text', text: ' 6362 1486.' }] } });
      const parts = (sent().json as { prediction: { content: Array<{ text: string }> } }).prediction.content.map((part) => part.text);
      assert.deepEqual(parts, ['Card: [CREDIT_CARD]', '.']);
      upstream.requests.length = 0;
      await refused(openai.chat.completions.create({ model: 'block', messages }), 'EMAIL');
    });
  });

  describe('a tool definition with nothing to find', () => {
    const clean = {
      name: 'get_weather',
      description: 'Current weather for a city. Use it for delivery delay questions.',
      schema: { type: 'object', properties: { city: { type: 'string', description: 'City name, e.g. "Paris, FR".' }, units: { type: 'string', enum: ['metric', 'imperial'], default: 'metric' } }, required: ['city'] },
    };

    it('chat: the provider gets the client’s bytes as they were sent', async () => {
      // Spacing and key order the gateway would not write itself: a re-serialized body would differ.
      const raw = `{ "model": "gpt-4o-mini", "messages": [ { "role": "user", "content": "${prompt}" } ],\n  "tools": [ { "type": "function", "function": { "description": "${clean.description}", "name": "${clean.name}", "parameters": ${JSON.stringify(clean.schema, null, 1)} } } ] }`;
      const response = await fetch(`${gateway.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw });
      assert.equal(response.status, 200);
      assert.equal(sent().body, raw);
    });

    it('Messages to Anthropic: the provider gets the client’s bytes as they were sent', async () => {
      const raw = `{ "model": "claude-sonnet-4-5", "max_tokens": 100, "messages": [ { "role": "user", "content": "${prompt}" } ],\n  "tools": [ { "description": "${clean.description}", "name": "${clean.name}", "input_schema": ${JSON.stringify(clean.schema, null, 1)} } ] }`;
      const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: raw });
      assert.equal(response.status, 200);
      assert.equal(sent().body, raw);
    });
  });
});
