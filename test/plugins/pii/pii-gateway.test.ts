import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const secrets = {
  email: 'ana.lopez@example.com',
  phone: '+44 20 7946 0958',
  card: '4111 1111 1111 1111',
  ssn: '536-22-1234',
};
const prompt = `Please confirm: I am Ana, ${secrets.email}, phone ${secrets.phone}, card ${secrets.card}, SSN ${secrets.ssn}. Thanks!`;

function lastUserText(body: { messages: Array<{ role: string; content: unknown }> }): string {
  const last = [...body.messages].reverse().find((message) => message.role === 'user');
  return typeof last?.content === 'string' ? last.content : '';
}

function chunk(delta: object, finish: string | null = null) {
  return { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1700000000, model: 'm', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<string> {
  let text = '';
  for await (const part of stream) text += part.choices[0]?.delta?.content ?? '';
  return text;
}

describe('pii plugin through the real gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  /** What the stand-in answers: null echoes the last user message; a string is sent as is. */
  let upstreamAnswer: string | null = null;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { stream?: boolean; messages: Array<{ role: string; content: unknown }> };
      const answer = upstreamAnswer ?? lastUserText(body);
      if (body.stream) {
        // Odd-sized pieces so placeholders and values are cut in the middle.
        const pieces: string[] = [];
        for (let index = 0; index < answer.length; index += 7) pieces.push(answer.slice(index, index + 7));
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(sseBody([chunk({ role: 'assistant', content: '' }), ...pieces.map((piece) => chunk({ content: piece })), chunk({}, 'stop'), '[DONE]']));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-u',
          object: 'chat.completion',
          created: 1700000000,
          model: 'm',
          choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
    gw = await startGateway(
      [
        'providers:',
        '  echo: { type: echo, options: { max_chunks: 64 } }',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "echo/blocking" }',
        '    model: echo/x',
        '    plugins: { pii: { request: mask, entities: { email: { action: block }, ssn: { request: block } } } }',
        'plugins:',
        '  pii: { request: mask, response: redact }',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('echo, non-streaming: the masked prompt comes back with the originals restored exactly', async () => {
    const completion = await client.chat.completions.create({ model: 'echo/x', messages: [{ role: 'user', content: prompt }] });
    assert.equal(completion.choices[0].message.content, prompt);
  });

  it('echo, streaming: placeholders split across chunks are restored exactly', async () => {
    const stream = await client.chat.completions.create({ model: 'echo/x', stream: true, messages: [{ role: 'user', content: prompt }] });
    assert.equal(await collect(stream), prompt);
  });

  it('a blocked entity: 400 invalid_request_error pii_detected naming the types, never the values', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'echo/blocking', messages: [{ role: 'user', content: prompt }] }),
      (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError);
        assert.equal(error.status, 400);
        assert.equal(error.type, 'invalid_request_error');
        assert.equal(error.code, 'pii_detected');
        assert.match(error.message, /EMAIL/);
        assert.match(error.message, /SSN/);
        for (const value of Object.values(secrets)) assert.ok(!error.message.includes(value));
        return true;
      },
    );
  });

  it('the provider never receives the raw values: content, tool call arguments and tool results are masked', async () => {
    upstream.requests.length = 0;
    upstreamAnswer = null;
    const completion = await client.chat.completions.create({
      model: 'upstream/m',
      messages: [
        { role: 'system', content: `Escalations go to ${secrets.phone}.` },
        { role: 'user', content: [{ type: 'text', text: `Look up ${secrets.email}` }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ email: secrets.email, card: secrets.card }) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: `Found: SSN ${secrets.ssn}, phone ${secrets.phone}` },
        { role: 'user', content: prompt },
      ],
    });
    assert.equal(completion.choices[0].message.content, prompt);
    assert.equal(upstream.requests.length, 1);
    const sent = upstream.requests[0].body;
    for (const value of [...Object.values(secrets), JSON.stringify(secrets.card).slice(1, -1)]) assert.ok(!sent.includes(value), `${value} reached the provider`);
    for (const placeholder of ['<EMAIL_1>', '<PHONE_1>', '<CREDIT_CARD_1>', '<SSN_1>']) assert.ok(sent.includes(placeholder), `${placeholder} missing`);
    const body = upstream.requests[0].json as { messages: Array<{ tool_calls?: Array<{ function: { arguments: string } }> }> };
    assert.deepEqual(JSON.parse(body.messages[2].tool_calls![0].function.arguments), { email: '<EMAIL_1>', card: '<CREDIT_CARD_1>' });
  });

  it('streaming passthrough from an OpenAI-compatible upstream restores the originals', async () => {
    upstream.requests.length = 0;
    upstreamAnswer = null;
    const stream = await client.chat.completions.create({ model: 'upstream/m', stream: true, messages: [{ role: 'user', content: prompt }] });
    assert.equal(await collect(stream), prompt);
    assert.ok(!upstream.requests[0].body.includes(secrets.email));
  });

  it('response redaction: new PII the model writes is redacted, streaming or not', async () => {
    upstreamAnswer = 'Sure. Our records list bob.smith@corp.example.com and +1 415 555 2671.';
    const expected = 'Sure. Our records list [EMAIL] and [PHONE].';
    const completion = await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'who is on call?' }] });
    assert.equal(completion.choices[0].message.content, expected);
    const stream = await client.chat.completions.create({ model: 'upstream/m', stream: true, messages: [{ role: 'user', content: 'who is on call?' }] });
    assert.equal(await collect(stream), expected);
    upstreamAnswer = null;
  });
});
