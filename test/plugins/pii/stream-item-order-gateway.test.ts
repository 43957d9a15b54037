/*
 * Streams with response-side pii whose answer is text and then tool calls: what the pii stream
 * holds back of one kind of output (the last word of the text, the arguments of a call) reaches
 * the client before the next kind starts, so the OpenAI chat, Responses and Anthropic Messages
 * clients (the official SDKs) end with the non-streamed answer: one text item or block, each call
 * whole at its done or stop event, the events in order.
 */
import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatChunk, ChatDelta } from '../../../src/canonical/chat.ts';
import { scannerFor } from '../../../src/plugins/pii/index.ts';
import { MaskVault } from '../../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy } from '../../../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../../../src/plugins/pii/pii-pass.ts';
import { StreamRewriter } from '../../../src/plugins/pii/response-texts.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

interface Answer {
  text: string;
  calls: Array<{ name: string; arguments: string }>;
}

/** The model's answer per upstream model; `masked` answers with the placeholder the prompt's e-mail address became. */
const answers: Record<string, Answer> = {
  plain: { text: 'Sure, I will pay it now.', calls: [{ name: 'pay', arguments: '{"to":"x"}' }] },
  twoCalls: {
    text: 'Sure, I will pay both of them now.',
    calls: [
      { name: 'pay', arguments: '{"to":"x","amount":12}' },
      { name: 'pay', arguments: '{"to":"y"}' },
    ],
  },
  masked: { text: 'Mailing <EMAIL_1> now.', calls: [{ name: 'pay', arguments: '{"to":"<EMAIL_1>"}' }] },
};
const email = 'jane.doe@example.com';

/** The text in pieces of `size` characters, as providers stream it. */
function pieces(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

function openAiReply(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model: string; stream?: boolean };
  const answer = answers[body.model]!;
  const toolCalls = answer.calls.map((call, index) => ({ id: `call_${index}`, type: 'function', function: call }));
  if (!body.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    const message = { role: 'assistant', content: answer.text, refusal: null, tool_calls: toolCalls };
    response.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1700000000, model: body.model, choices: [{ index: 0, message, logprobs: null, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 } }));
    return;
  }
  const chunk = (delta: object, finish: string | null = null): object => ({ id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of pieces(answer.text)) events.push(chunk({ content: piece }));
  answer.calls.forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: `call_${index}`, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of pieces(call.arguments)) events.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk({}, 'tool_calls'), '[DONE]');
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(sseBody(events));
}

function anthropicReply(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model: string; stream?: boolean };
  const answer = answers[body.model]!;
  const usage = { input_tokens: 5, output_tokens: 9 };
  if (!body.stream) {
    const content = [{ type: 'text', text: answer.text }, ...answer.calls.map((call, index) => ({ type: 'tool_use', id: `toolu_${index}`, name: call.name, input: JSON.parse(call.arguments) as unknown }))];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: body.model, content, stop_reason: 'tool_use', stop_sequence: null, usage }));
    return;
  }
  const lines: string[] = [];
  const send = (type: string, data: object): void => void lines.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', { message: { id: 'msg_2', type: 'message', role: 'assistant', model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } });
  send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  for (const piece of pieces(answer.text)) send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } });
  send('content_block_stop', { index: 0 });
  answer.calls.forEach((call, position) => {
    const index = position + 1;
    send('content_block_start', { index, content_block: { type: 'tool_use', id: `toolu_${position}`, name: call.name, input: {} } });
    for (const piece of pieces(call.arguments)) send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
    send('content_block_stop', { index });
  });
  send('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 9 } });
  send('message_stop', {});
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  response.end(lines.join(''));
}

/** Client model -> [upstream answer, user message, what the client must get]. */
const cases = [
  ['plain', 'plain', 'pay it', answers.plain],
  ['two calls', 'twoCalls', 'pay both', answers.twoCalls],
  ['mask restored', 'masked', `mail ${email}`, { text: `Mailing ${email} now.`, calls: [{ name: 'pay', arguments: `{"to":"${email}"}` }] }],
] as const;

const chatTool = { type: 'function' as const, function: { name: 'pay', parameters: { type: 'object', properties: {} } } };
const responsesTool = { type: 'function' as const, name: 'pay', parameters: { type: 'object', properties: {} }, strict: false };
const anthropicTool = { name: 'pay', input_schema: { type: 'object' as const, properties: {} } };

describe('pii on the answer: a streamed text then tool calls keeps its order (OpenAI chat, Responses, Anthropic Messages clients)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;

  before(async () => {
    upstream = await startStandIn((request, response) => (request.path.endsWith('/chat/completions') ? openAiReply(request, response) : anthropicReply(request, response)));
    const routes = (prefix: string, provider: string): string[] =>
      Object.keys(answers).flatMap((model) => [`  - match: { model: "${prefix}${model}" }`, `    model: ${provider}/${model}`, '    plugins: { pii: { request: mask, response: redact } }']);
    gateway = await startGateway(
      [
        'providers:',
        `  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1", models: [${Object.keys(answers).join(', ')}] }`,
        `  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }`,
        'routes:',
        ...routes('oai-', 'oai'),
        ...routes('claude-', 'claude'),
      ].join('\n'),
    );
    openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  for (const [label, model, user, expected] of cases) {
    it(`chat stream (${label}): content before every tool-call delta, calls in index order, the final message is the non-streamed one`, async () => {
      const body = { model: `oai-${model}`, messages: [{ role: 'user' as const, content: user }], tools: [chatTool] };
      const whole = (await openai.chat.completions.create(body)).choices[0]!.message;
      assert.equal(whole.content, expected.text);
      assert.deepEqual(
        whole.tool_calls?.map((call) => call.type === 'function' && [call.function.name, call.function.arguments]),
        expected.calls.map((call) => [call.name, call.arguments]),
      );
      const stream = openai.chat.completions.stream(body);
      const kinds: string[] = [];
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) kinds.push('text');
        for (const call of delta?.tool_calls ?? []) kinds.push(`call ${call.index}`);
      }
      // Each kind in one run, in the provider's order.
      const runs = kinds.filter((kind, index) => kind !== kinds[index - 1]);
      assert.deepEqual(runs, ['text', ...expected.calls.map((_, index) => `call ${index}`)]);
      const streamed = (await stream.finalChatCompletion()).choices[0]!.message;
      assert.equal(streamed.content, whole.content);
      assert.deepEqual(
        streamed.tool_calls?.map((call) => call.type === 'function' && [call.id, call.function.name, call.function.arguments]),
        whole.tool_calls?.map((call) => call.type === 'function' && [call.id, call.function.name, call.function.arguments]),
      );
    });

    it(`responses.stream (${label}): one message item, each call whole at its .done events, no event for an item after its done`, async () => {
      const body = { model: `oai-${model}`, input: user, tools: [responsesTool] };
      const summary = (output: OpenAI.Responses.ResponseOutputItem[]): unknown[] =>
        output.map((item) => (item.type === 'message' ? ['message', item.content.map((part) => (part.type === 'output_text' ? part.text : part.refusal)).join('')] : item.type === 'function_call' ? ['function_call', item.name, item.arguments] : [item.type]));
      const whole = summary((await openai.responses.create(body)).output);
      assert.deepEqual(whole, [['message', expected.text], ...expected.calls.map((call) => ['function_call', call.name, call.arguments])]);
      const stream = openai.responses.stream(body);
      const closed = new Set<number>();
      let lastIndex = -1;
      const doneArguments: string[] = [];
      for await (const event of stream) {
        if (!('output_index' in event)) continue;
        assert.ok(!closed.has(event.output_index), `${event.type} for output ${event.output_index} after its output_item.done`);
        assert.ok(event.output_index >= lastIndex, `${event.type} for output ${event.output_index} after output ${lastIndex} started`);
        lastIndex = event.output_index;
        if (event.type === 'response.function_call_arguments.done') doneArguments.push(event.arguments);
        if (event.type === 'response.output_item.done') {
          closed.add(event.output_index);
          if (event.item.type === 'function_call') assert.equal(event.item.arguments, doneArguments.at(-1));
        }
      }
      assert.deepEqual(doneArguments, expected.calls.map((call) => call.arguments));
      assert.deepEqual(summary((await stream.finalResponse()).output), whole);
    });

    for (const provider of ['oai', 'claude']) {
      it(`messages.stream from ${provider === 'oai' ? 'an OpenAI' : 'an Anthropic'} provider (${label}): one block at a time, tool_use whole at its stop, the final message is the non-streamed one`, async () => {
        const body = { model: `${provider}-${model}`, max_tokens: 100, messages: [{ role: 'user' as const, content: user }], tools: [anthropicTool] };
        const summary = (content: Anthropic.ContentBlock[]): unknown[] => content.map((block) => (block.type === 'text' ? ['text', block.text] : block.type === 'tool_use' ? ['tool_use', block.name, block.input] : [block.type]));
        const whole = summary((await anthropic.messages.create(body)).content);
        assert.deepEqual(whole, [['text', expected.text], ...expected.calls.map((call) => ['tool_use', call.name, JSON.parse(call.arguments) as unknown])]);
        const stream = anthropic.messages.stream(body);
        const finished: Anthropic.ContentBlock[] = [];
        stream.on('contentBlock', (block) => finished.push(structuredClone(block)));
        let open: number | null = null;
        let next = 0;
        for await (const event of stream) {
          if (event.type === 'content_block_start') {
            assert.equal(open, null, `block ${event.index} started while block ${open} is open`);
            assert.equal(event.index, next++);
            open = event.index;
          } else if (event.type === 'content_block_delta') assert.equal(event.index, open, `a delta for block ${event.index} while block ${open} is open`);
          else if (event.type === 'content_block_stop') {
            assert.equal(event.index, open);
            open = null;
          }
        }
        // What the SDK handed out as finished at each content_block_stop is the final content.
        assert.deepEqual(summary(finished), whole);
        assert.deepEqual(summary((await stream.finalMessage()).content), whole);
      });
    }
  }
});

describe('StreamRewriter: held text of one kind goes out before the next kind of output', () => {
  const base = { id: 'c', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
  const rewriterFor = (): StreamRewriter => {
    const policy = resolvePolicy(piiConfigSchema.parse({ request: 'mask', response: 'redact' }));
    const vault = new MaskVault();
    return new StreamRewriter(new PiiPass(scannerFor(policy, 'response'), (entity) => policy.actions.get(entity)?.response ?? 'off', vault), vault);
  };
  /** The deltas of choice 0 the client gets, each as the list of its non-empty fields in the encoders' order. */
  const run = (deltas: Array<[ChatDelta, string | null]>): string[][] => {
    const rewriter = rewriterFor();
    const out: string[][] = [];
    for (const [delta, finish] of deltas) {
      const result = rewriter.rewrite({ ...base, choices: [{ index: 0, delta, finish_reason: finish as ChatChunk['choices'][number]['finish_reason'] }] });
      for (const chunk of Array.isArray(result) ? result : [result]) {
        const sent = (chunk as ChatChunk).choices[0]?.delta ?? {};
        const fields: string[] = [];
        if (sent.reasoning_content) fields.push(`reasoning:${sent.reasoning_content}`);
        if (sent.reasoning_signature) fields.push(`signature:${sent.reasoning_signature}`);
        if (sent.content) fields.push(`text:${sent.content}`);
        for (const call of sent.tool_calls ?? []) fields.push(`call ${call.index}:${call.function?.name ?? ''}:${call.function?.arguments ?? ''}`);
        if (fields.length > 0) out.push(fields);
      }
    }
    return out;
  };

  it('reasoning, its signature, then text: the thinking is whole before its signature, the text whole at the end', () => {
    assert.deepEqual(
      run([
        [{ reasoning_content: 'Let me thi' }, null],
        [{ reasoning_content: 'nk it over.' }, null],
        [{ reasoning_signature: 'sig' }, null],
        [{ content: 'Fine, do' }, null],
        [{ content: 'ne now.' }, 'stop'],
      ]),
      [['reasoning:Let me '], ['reasoning:think it '], ['reasoning:over.'], ['signature:sig'], ['text:Fine, '], ['text:done now.']],
    );
  });

  it('text and a call starting in one delta: the text is released in that delta (the encoders write it first)', () => {
    assert.deepEqual(
      run([
        [{ content: 'Paying it ' }, null],
        [{ content: 'now.', tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'pay', arguments: '{"to":' } }] }, null],
        [{ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }, { index: 1, id: 'b', type: 'function', function: { name: 'pay', arguments: '{}' } }] }, null],
        [{}, 'tool_calls'],
      ]),
      [['text:Paying '], ['text:it now.', 'call 0:pay:'], ['call 0::{"to":"x"}', 'call 1:pay:'], ['call 1::{}']],
    );
  });

  it('a call started in an earlier chunk: its held arguments go out in a chunk of their own before the next call', () => {
    assert.deepEqual(
      run([
        [{ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'pay', arguments: '{"to":"x"}' } }] }, null],
        [{ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'note', arguments: '' } }] }, null],
        [{ tool_calls: [{ index: 1, function: { arguments: '{"text": "a b"}' } }] }, 'tool_calls'],
      ]),
      [['call 0:pay:'], ['call 0::{"to":"x"}'], ['call 1:note:'], ['call 1::{"text": "a b"}']],
    );
  });
});
