import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { addressAnswers, wordedAnswers } from './stream-answers.ts';

// A model that streams its answer one or five characters at a time: a street address, an e-mail
// or a date written out, or a number read out must not leave the gateway before the pii plugin
// has seen all of it (redact: the same text as the non-streamed answer; block: none of it).

interface Streamed {
  text: string;
  error?: { code: string; message: string };
}

/** The text deltas of a Chat Completions, Anthropic Messages or Responses stream up to its end or its in-stream error. */
function readStream(body: string): Streamed {
  let text = '';
  for (const event of body.split('\n\n')) {
    const data = event.split('\n').find((line) => line.startsWith('data: '))?.slice(6);
    if (!data || data === '[DONE]') continue;
    const parsed = JSON.parse(data) as {
      error?: { code: string; message: string };
      choices?: Array<{ delta?: { content?: string } }>;
      type?: string;
      delta?: string | { text?: string };
    };
    if (parsed.error) return { text, error: parsed.error };
    if (parsed.choices) text += parsed.choices[0]?.delta?.content ?? '';
    else if (parsed.type === 'content_block_delta' && typeof parsed.delta === 'object') text += parsed.delta.text ?? '';
    else if (parsed.type === 'response.output_text.delta' && typeof parsed.delta === 'string') text += parsed.delta;
  }
  return { text };
}

describe('pii response scanning of streamed answers through the gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    // Answers with the last user message, streamed in chunks of the size the model name gives ("c1", "c5").
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean; messages: Array<{ content: string }> };
      const answer = body.messages.at(-1)!.content;
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'chatcmpl-h',
            object: 'chat.completion',
            created: 1700000000,
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
            usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
          }),
        );
        return;
      }
      const size = Number(body.model.slice(1));
      const chunk = (delta: object, finish: string | null = null) => ({ id: 'chatcmpl-h', object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
      const pieces: object[] = [chunk({ role: 'assistant', content: '' })];
      for (let index = 0; index < answer.length; index += size) pieces.push(chunk({ content: answer.slice(index, index + size) }));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([...pieces, chunk({}, 'stop'), '[DONE]']));
    });
    const route = (name: string, model: string, response: string) => [`  - match: { model: "${name}" }`, `    model: local/${model}`, `    plugins: { pii: { request: 'off', response: ${response} } }`];
    gw = await startGateway(
      [
        'providers:',
        `  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [c1, c5] }`,
        'routes:',
        ...route('redact-1', 'c1', 'redact'),
        ...route('redact-5', 'c5', 'redact'),
        ...route('block-1', 'c1', 'block'),
        ...route('block-5', 'c5', 'block'),
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const chat = async (model: string, content: string, stream: boolean): Promise<Response> =>
    fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }) });

  async function nonStreamed(answer: string): Promise<string> {
    const reply = (await (await chat('redact-1', answer, false)).json()) as { choices: Array<{ message: { content: string } }> };
    return reply.choices[0].message.content;
  }

  it('response: redact — a street address reaches the client as the non-streamed answer has it, in 1- and 5-character chunks', async () => {
    for (const [answer, address] of addressAnswers) {
      const expected = await nonStreamed(answer);
      assert.equal(expected, answer.replace(address, '[ADDRESS]'));
      for (const model of ['redact-1', 'redact-5']) {
        const streamed = readStream(await (await chat(model, answer, true)).text());
        assert.equal(streamed.text, expected, `${model}: ${answer}`);
      }
    }
  });

  it('response: redact — e-mails and dates written out and numbers read out, streamed as not streamed', async () => {
    for (const [answer, label] of wordedAnswers) {
      const expected = await nonStreamed(answer);
      assert.match(expected, new RegExp(`\\[${label}\\]`), answer);
      for (const model of ['redact-1', 'redact-5']) assert.equal(readStream(await (await chat(model, answer, true)).text()).text, expected, `${model}: ${answer}`);
    }
  });

  it('response: block — the stream ends in pii_detected and no part of the address was sent before it', async () => {
    for (const [answer, address] of addressAnswers) {
      for (const model of ['block-1', 'block-5']) {
        const streamed = readStream(await (await chat(model, answer, true)).text());
        assert.equal(streamed.error?.code, 'pii_detected', `${model}: ${answer}`);
        assert.match(streamed.error.message, /ADDRESS/);
        assert.ok(answer.startsWith(streamed.text) && streamed.text.length <= answer.indexOf(address), `${model} sent ${JSON.stringify(streamed.text)} of ${JSON.stringify(answer)}`);
      }
    }
  });

  it('response: block — an e-mail or a date written out is never sent either', async () => {
    for (const [answer, label] of wordedAnswers.filter(([, label]) => label === 'EMAIL' || label === 'DATE_OF_BIRTH')) {
      const value = (await nonStreamed(answer)).split(`[${label}]`)[0];
      for (const model of ['block-1', 'block-5']) {
        const streamed = readStream(await (await chat(model, answer, true)).text());
        assert.equal(streamed.error?.code, 'pii_detected', `${model}: ${answer}`);
        assert.ok(answer.startsWith(streamed.text) && streamed.text.length <= value.length, `${model} sent ${JSON.stringify(streamed.text)} of ${JSON.stringify(answer)}`);
      }
    }
  });

  it('the Anthropic Messages and Responses streams hold an address back the same way', async () => {
    for (const [answer, address] of addressAnswers.slice(0, 8)) {
      const message = await fetch(`${gw.baseURL}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'redact-1', max_tokens: 100, stream: true, messages: [{ role: 'user', content: answer }] }),
      });
      assert.equal(readStream(await message.text()).text, answer.replace(address, '[ADDRESS]'), `messages: ${answer}`);
      const response = await fetch(`${gw.baseURL}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'redact-1', stream: true, input: answer }) });
      assert.equal(readStream(await response.text()).text, answer.replace(address, '[ADDRESS]'), `responses: ${answer}`);
    }
  });
});
