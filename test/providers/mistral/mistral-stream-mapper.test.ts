import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { convertMistralResponse } from '../../../src/providers/mistral/convert-mistral-response.ts';
import { mapMistralStream, MistralEventFixer } from '../../../src/providers/mistral/mistral-stream-mapper.ts';
import { collectBody } from '../../../src/upstream/read-body.ts';

const head = '"id":"c1","object":"chat.completion.chunk","created":1,"model":"mistral-small-latest"';
/** Mistral's stream as it comes: a role chunk, text (with a multi-byte character), a typeless tool call, a magistral chunk, model_length with usage, [DONE]. */
const upstreamEvents = [
  `data: {${head},"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`,
  `data: {${head},"choices":[{"index":0,"delta":{"content":"caf\u00e9 \\"content\\": [x"},"finish_reason":null}]}\r\n\r\n`,
  `data: {${head},"choices":[{"index":0,"delta":{"tool_calls":[{"id":"D681PevKs","function":{"name":"f","arguments":"{}"},"index":0}]},"finish_reason":null}]}\n\n`,
  `data: {${head},"choices":[{"index":0,"delta":{"content":[{"type":"thinking","thinking":[{"type":"text","text":"Hm"}]},{"type":"text","text":"Hi"}]},"finish_reason":null}]}\n\n`,
  `data: {${head},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"model_length"}],"usage":{"prompt_tokens":1,"total_tokens":3,"completion_tokens":2}}\n\n`,
  'data: [DONE]\n\n',
];
const fixedEvents = [
  upstreamEvents[0],
  upstreamEvents[1],
  `data: {${head},"choices":[{"index":0,"delta":{"tool_calls":[{"id":"D681PevKs","function":{"name":"f","arguments":"{}"},"index":0,"type":"function"}]},"finish_reason":null}]}\n\n`,
  `data: {${head},"choices":[{"index":0,"delta":{"content":"Hi","reasoning_content":"Hm"},"finish_reason":null}]}\n\n`,
  // Mistral's last chunk, as OpenAI streams it: the finish chunk without usage, then the usage chunk (choices: []).
  `data: {${head},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"length"}]}\n\n` +
    `data: {${head},"choices":[],"usage":{"prompt_tokens":1,"total_tokens":3,"completion_tokens":2}}\n\n`,
  upstreamEvents[5],
];

function fixAll(pieces: Buffer[]): string {
  const fixer = new MistralEventFixer();
  const out = pieces.map((piece) => fixer.push(piece));
  out.push(fixer.end());
  return Buffer.concat(out).toString('utf8');
}

describe('MistralEventFixer', () => {
  it('rewrites only the events that need it, whatever the pieces the bytes arrive in (multi-byte characters and CRLF included)', () => {
    const bytes = Buffer.from(upstreamEvents.join(''));
    const expected = fixedEvents.join('');
    assert.equal(fixAll([bytes]), expected);
    for (let cut = 1; cut < bytes.length; cut++) assert.equal(fixAll([bytes.subarray(0, cut), bytes.subarray(cut)]), expected, `cut at ${cut}`);
    assert.equal(fixAll([...bytes].map((byte) => Buffer.from([byte]))), expected);
  });

  it('forwards a plain text stream as the same bytes, and sends an event left without its blank line at the end', () => {
    const text = upstreamEvents[0] + upstreamEvents[1] + upstreamEvents[5];
    const fixer = new MistralEventFixer();
    const piece = Buffer.from(text);
    assert.equal(fixer.push(piece), piece);
    assert.equal(fixAll([Buffer.from(upstreamEvents[4].trimEnd())]), fixedEvents[4].trimEnd() + '\n\n');
  });

  it('splits the usage off a finish chunk into a usage chunk of its own; a chunk with usage: null or only usage stays as it came', () => {
    const finish = `data: {${head},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}],"usage": {"prompt_tokens":4,"total_tokens":6,"completion_tokens":2}}\n\n`;
    assert.equal(
      fixAll([Buffer.from(finish)]),
      `data: {${head},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"stop"}]}\n\n` + `data: {${head},"choices":[],"usage":{"prompt_tokens":4,"total_tokens":6,"completion_tokens":2}}\n\n`,
    );
    for (const unchanged of [`data: {${head},"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}],"usage":null}\n\n`, `data: {${head},"choices":[],"usage":{"prompt_tokens":4,"total_tokens":6,"completion_tokens":2}}\n\n`]) {
      assert.equal(new MistralEventFixer().push(Buffer.from(unchanged)).toString('utf8'), unchanged);
    }
  });
});

describe('mapMistralStream', () => {
  it('an upstream failure reaches the reader as that error, after the events before it', async () => {
    const upstream = new PassThrough();
    const fixed = mapMistralStream(upstream);
    const failure = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    upstream.write(upstreamEvents[2]);
    setImmediate(() => upstream.destroy(failure));
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const piece of fixed) seen.push(String(piece));
      })(),
      (error) => error === failure,
    );
    assert.equal(seen.join(''), fixedEvents[2]);
  });

  it('destroying the mapped stream (the client left) destroys the upstream body', async () => {
    const upstream = new PassThrough();
    const fixed = mapMistralStream(upstream);
    fixed.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(upstream.destroyed, true);
  });

  it('reads to the end like the body it wraps', async () => {
    assert.equal((await collectBody(mapMistralStream(Readable.from([Buffer.from(upstreamEvents.join(''))])))).toString('utf8'), fixedEvents.join(''));
  });
});

describe('convertMistralResponse', () => {
  const answer = (message: Record<string, unknown>, finish = 'stop') => ({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', prefix: false, ...message }, finish_reason: finish }], usage: { prompt_tokens: 1, total_tokens: 2, completion_tokens: 1 } });

  it('returns the same bytes when nothing needs a fix (a tool_calls: null included)', () => {
    const body = Buffer.from(JSON.stringify(answer({ tool_calls: null, content: 'hi' })));
    assert.equal(convertMistralResponse(body), body);
  });

  it('types tool calls, maps model_length and splits thinking from text', () => {
    const fixed = (message: Record<string, unknown>, finish?: string) => JSON.parse(convertMistralResponse(Buffer.from(JSON.stringify(answer(message, finish)))).toString('utf8')).choices[0];
    assert.deepEqual(fixed({ content: '', tool_calls: [{ id: 'D681PevKs', function: { name: 'f', arguments: '{}' }, index: 0 }] }, 'tool_calls').message.tool_calls, [{ id: 'D681PevKs', type: 'function', function: { name: 'f', arguments: '{}' }, index: 0 }]);
    assert.equal(fixed({ content: 'cut' }, 'model_length').finish_reason, 'length');
    const magistral = fixed({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'a' }, { type: 'reference', reference_ids: [1] }, { type: 'text', text: 'b' }] }, { type: 'text', text: 'Answer' }] });
    assert.equal(magistral.message.content, 'Answer');
    assert.equal(magistral.message.reasoning_content, 'ab');
    const thinkingOnly = fixed({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'a' }] }] }, 'model_length');
    assert.equal(thinkingOnly.message.content, null);
    assert.equal(thinkingOnly.message.reasoning_content, 'a');
  });
});
