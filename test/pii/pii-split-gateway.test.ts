import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { anthropicMessage } from '../helpers/anthropic-bodies.ts';
import { chatCompletion } from '../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../helpers/stand-in-server.ts';

// A blind audit found that a value split across adjacent texts — two text parts of a message,
// two consecutive messages, the text blocks of an Anthropic tool_result — reached the provider
// unmasked and passed `block`: each text was scanned alone. The model reads them as one text.

/** A content's text as the model reads it: strings and text blocks (tool_result content too) back to back. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block: { text?: unknown; content?: unknown }) => (typeof block.text === 'string' ? block.text : contentText(block.content))).join('');
}

/** Every message's text in a row (OpenAI or Anthropic body). */
function conversationText(body: unknown): string {
  return ((body as { messages: Array<{ content?: unknown }> }).messages ?? []).map((message) => contentText(message.content)).join('');
}

/** Answers with the text it read, so the client's answer shows what restoration makes of it. */
function reply(request: RecordedRequest, response: ServerResponse): void {
  const answer = `read: ${conversationText(request.json)}`;
  response.writeHead(200, { 'content-type': 'application/json' });
  const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
  response.end(JSON.stringify(request.path.endsWith('/chat/completions') ? chatCompletion('gpt-4o-mini', answer, usage) : anthropicMessage(answer, { input_tokens: 10, output_tokens: 5 })));
}

const card = ['my card is 4111 1111', ' 1111 1111, thanks'];
const cardDigits = ['4111', '1111'];
const emailPieces = ['Please write to john.doe@', 'example.com today.'];

describe('pii: a value split across texts the model reads back to back', () => {
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
        ...route('mask', 'oai/gpt-4o-mini', '{ request: mask }'),
        ...route('redact', 'oai/gpt-4o-mini', '{ request: redact }'),
        ...route('block', 'oai/gpt-4o-mini', '{ request: block }'),
        ...route('a-mask', 'claude/claude-sonnet-4-5', '{ request: mask }'),
        ...route('a-block', 'claude/claude-sonnet-4-5', '{ request: block }'),
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

  /** The one request the provider got. */
  function sent(): RecordedRequest {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0];
  }

  async function refused(call: Promise<unknown>, label: string): Promise<void> {
    const error = await call.then(
      () => assert.fail('the request was forwarded'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof OpenAI.APIError || error instanceof Anthropic.APIError, String(error));
    assert.equal(error.status, 400);
    const body = error.error as { type?: string; code?: string; message?: string; error?: { type?: string; message?: string } };
    const message = error instanceof OpenAI.APIError ? error.message : String(body.error?.message);
    if (error instanceof OpenAI.APIError) {
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.code, 'pii_detected');
    } else assert.equal(body.error?.type, 'invalid_request_error');
    assert.match(message, new RegExp(label));
    assert.equal(upstream.requests.length, 0, 'nothing was sent upstream');
  }

  it('mask: a card split across two chat text parts reaches the provider as one placeholder, no digit of it, and comes back whole', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: card.map((text) => ({ type: 'text' as const, text })) }];
    const completion = await openai.chat.completions.create({ model: 'mask', messages });
    const request = sent();
    for (const digits of cardDigits) assert.ok(!request.body.includes(digits), `${digits} reached the provider: ${request.body}`);
    assert.equal(conversationText(request.json), 'my card is <CREDIT_CARD_1>, thanks');
    assert.equal(completion.choices[0].message.content, `read: ${card.join('')}`);
  });

  it('redact: the label once, the rest of the value removed from the later part', async () => {
    await openai.chat.completions.create({ model: 'redact', messages: [{ role: 'user', content: card.map((text) => ({ type: 'text' as const, text })) }] });
    const parts = (sent().json as { messages: Array<{ content: Array<{ text: string }> }> }).messages[0].content.map((part) => part.text);
    assert.deepEqual(parts, ['my card is [CREDIT_CARD]', ', thanks']);
  });

  it('block: a card split across two chat text parts is refused with pii_detected, nothing sent upstream', async () => {
    await refused(openai.chat.completions.create({ model: 'block', messages: [{ role: 'user', content: card.map((text) => ({ type: 'text' as const, text })) }] }), 'CREDIT_CARD');
  });

  it('an e-mail address split across two consecutive user messages is masked (and blocked)', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = emailPieces.map((content) => ({ role: 'user', content }));
    const completion = await openai.chat.completions.create({ model: 'mask', messages });
    const request = sent();
    for (const piece of ['john.doe', 'example.com']) assert.ok(!request.body.includes(piece), `${piece} reached the provider`);
    assert.deepEqual(
      (request.json as { messages: Array<{ content: string }> }).messages.map((message) => message.content),
      ['Please write to <EMAIL_1>', ' today.'],
    );
    assert.equal(completion.choices[0].message.content, `read: ${emailPieces.join('')}`);
    upstream.requests.length = 0;
    await refused(openai.chat.completions.create({ model: 'block', messages }), 'EMAIL');
  });

  it('Anthropic SDK: a card split across two text blocks of one tool_result, and across two tool_result blocks', async () => {
    const toolUse = (ids: string[]): Anthropic.MessageParam => ({
      role: 'assistant',
      content: ids.map((id) => ({ type: 'tool_use' as const, id, name: 'lookup_customer', input: { id: 7 } })),
    });
    const conversations: Anthropic.MessageParam[][] = [
      [
        { role: 'user', content: 'Look up customer 7.' },
        toolUse(['toolu_1']),
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: card.map((text) => ({ type: 'text' as const, text })) }] },
      ],
      [
        { role: 'user', content: 'Look up customer 7.' },
        toolUse(['toolu_1', 'toolu_2']),
        {
          role: 'user',
          content: card.map((text, index) => ({ type: 'tool_result' as const, tool_use_id: `toolu_${index + 1}`, content: text })),
        },
      ],
    ];
    for (const messages of conversations) {
      upstream.requests.length = 0;
      const message = await anthropic.messages.create({ model: 'a-mask', max_tokens: 50, messages });
      const request = sent();
      assert.equal(request.path, '/v1/messages');
      for (const digits of cardDigits) assert.ok(!request.body.includes(digits), `${digits} reached the provider: ${request.body}`);
      assert.ok(request.body.includes('<CREDIT_CARD_1>'));
      assert.deepEqual(
        message.content.map((block) => (block.type === 'text' ? block.text : block.type)),
        [`read: ${conversationText({ messages })}`],
      );
      upstream.requests.length = 0;
      await refused(anthropic.messages.create({ model: 'a-block', max_tokens: 50, messages }), 'CREDIT_CARD');
    }
  });

  it('harmless numbers in adjacent parts and messages stay as they are: no card or phone made of them', async () => {
    const parts = ['Scores: 12 34', ' 56 78 90 today; the webinar id is 845 2290', ' 1176. Total: 34719', '.54 USD for 1200 units in 2024 and 1350', ' units in 2025.'];
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: parts.map((text) => ({ type: 'text' as const, text })) },
      { role: 'user', content: 'Rows 20240315' },
      { role: 'user', content: '-0042 and build 2025.07' },
      { role: 'user', content: '.118 passed.' },
    ];
    const completion = await openai.chat.completions.create({ model: 'block', messages });
    assert.equal(completion.choices[0].message.content, `read: ${conversationText({ messages })}`);
    assert.deepEqual((sent().json as { messages: unknown }).messages, messages);
  });
});
