import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicMessage } from '../../helpers/anthropic-bodies.ts';
import { chatCompletion } from '../../helpers/openai-bodies.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

// A blind audit (guardrails-5, F2 and F3) found that a Messages turn's text blocks were joined by a
// line break before the guardrails read them: a phone or SSN split across two blocks
// (["call me on +44 20 79", "46 0321"]) reached the provider whole, and a blocked term split inside
// a word (["blue", "bird"]) passed content-rules, while the same split in chat text parts was caught.

function reply(request: RecordedRequest, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  const usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 };
  response.end(JSON.stringify(request.path.endsWith('/chat/completions') ? chatCompletion('gpt-4o-mini', 'ok', usage) : anthropicMessage('ok', { input_tokens: 10, output_tokens: 2 })));
}

type TextBlocks = Array<{ type: 'text'; text: string }>;
const blocks = (...texts: string[]): TextBlocks => texts.map((text) => ({ type: 'text', text }));

/** The first user message's content as the upstream received it. */
function sentContent(upstream: StandIn): unknown {
  const body = upstream.requests.at(-1)!.json as { messages: Array<{ role: string; content: unknown }> };
  return body.messages.find((message) => message.role === 'user')?.content;
}

describe('Anthropic clients: the text blocks of a turn are read back to back by the guardrails', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;

  before(async () => {
    upstream = await startStandIn(reply);
    const route = (name: string, model: string, plugins: string) => [`  - match: { model: "${name}" }`, `    model: ${model}`, `    plugins: ${plugins}`];
    const rules = '{ content-rules: { blocked_terms: ["project falcon", "internal-only", "bluebird"] } }';
    gateway = await startGateway(
      [
        'providers:',
        `  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }`,
        `  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }`,
        'routes:',
        ...route('o-redact', 'oai/gpt-4o-mini', '{ pii: { request: redact } }'),
        ...route('a-redact', 'claude/claude-sonnet-4-5', '{ pii: { request: redact } }'),
        ...route('o-rules', 'oai/gpt-4o-mini', rules),
        ...route('a-rules', 'claude/claude-sonnet-4-5', rules),
      ].join('\n'),
    );
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const send = (model: string, content: TextBlocks) => client.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content }] });

  it('a phone or SSN split across two text blocks is redacted once, for an Anthropic provider (separate blocks again) and an OpenAI-compatible one (one text)', async () => {
    await send('a-redact', blocks('call me on +44 20 79', '46 0321'));
    assert.deepEqual(sentContent(upstream), [{ type: 'text', text: 'call me on [PHONE]' }], 'the rest of the value left an empty block, which Anthropic would refuse: it is left out');
    await send('a-redact', blocks('ssn 523-45-', '6789', ' is mine'));
    assert.deepEqual(sentContent(upstream), [
      { type: 'text', text: 'ssn [SSN]' },
      { type: 'text', text: ' is mine' },
    ]);
    await send('o-redact', blocks('call me on +44 20 79', '46 0321'));
    assert.equal(sentContent(upstream), 'call me on [PHONE]');
    await send('o-redact', blocks('ssn 523-45-', '6789'));
    assert.equal(sentContent(upstream), 'ssn [SSN]');
  });

  it('blocks with nothing to change reach an OpenAI-compatible provider as one text, a line break between, and an Anthropic one as sent', async () => {
    await send('o-redact', blocks('Summarise this.', 'The report follows.'));
    assert.equal(sentContent(upstream), 'Summarise this.\nThe report follows.');
    await send('a-redact', blocks('Summarise this.', 'The report follows.'));
    assert.deepEqual(sentContent(upstream), blocks('Summarise this.', 'The report follows.'));
    // A change elsewhere in the turn re-encodes it: still the client's blocks, each rewritten in place.
    await send('a-redact', blocks('Summarise this for ann@example.com.', 'The report follows.'));
    assert.deepEqual(sentContent(upstream), blocks('Summarise this for [EMAIL].', 'The report follows.'));
  });

  it('content-rules blocks a term split inside a word across text blocks, whichever the provider', async () => {
    for (const model of ['a-rules', 'o-rules']) {
      for (const content of [blocks('blue', 'bird'), blocks('see proj', 'ect falcon'), blocks('internal-on', 'ly docs'), blocks('project', 'falcon')]) {
        await assert.rejects(send(model, content), (error: unknown) => error instanceof Anthropic.BadRequestError, `${model}: ${JSON.stringify(content)}`);
      }
      await send(model, blocks('blue', 'jay'));
    }
    assert.equal(upstream.requests.length, 2, 'only the harmless turns went up');
  });
});
