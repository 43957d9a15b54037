import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionResponse } from '../../../src/canonical/completions.ts';
import type { CanonicalChunk } from '../../../src/canonical/operation.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import type { OllamaGenerateResponse } from '../../../src/providers/ollama/ollama-api.ts';
import { convertOllamaGenerateResponse, openOllamaGenerateStream, type OllamaCompletionContext } from '../../../src/providers/ollama/convert-ollama-generate-response.ts';
import { convertToOllamaGenerateRequest } from '../../../src/providers/ollama/convert-to-ollama-generate-request.ts';
import { mapOllamaError } from '../../../src/providers/ollama/ollama-error.ts';
import { fixtureBytes, fixtureJson } from './fixtures.ts';

const context: OllamaCompletionContext = { id: 'cmpl-test', model: 'llama3.2', created: 1_700_000_000, provider: 'ollama' };
const mapError = (status: number, text: string) => mapOllamaError('ollama', status, {}, text);

async function* pieces(parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

/** The chunks an /api/generate stream makes from these byte pieces, and the error that ended it (if any). */
async function run(parts: Uint8Array[], withContext = context): Promise<{ chunks: Array<CompletionResponse>; error: GatewayError | undefined }> {
  const chunks: CompletionResponse[] = [];
  try {
    for await (const chunk of await openOllamaGenerateStream(pieces(parts), withContext, mapError)) chunks.push(chunk as CompletionResponse);
  } catch (error) {
    assert.ok(error instanceof GatewayError, `expected a GatewayError, got ${String(error)}`);
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

const texts = (chunks: Array<CanonicalChunk | CompletionResponse>) => chunks.filter((chunk) => chunk.choices.length > 0).map((chunk) => [(chunk as CompletionResponse).choices[0].text, (chunk as CompletionResponse).choices[0].finish_reason]);

describe('convertToOllamaGenerateRequest', () => {
  it('prompt, suffix, the sampling settings as options (max_tokens as num_predict), keep_alive and num_ctx; stream always written, raw never', () => {
    const plan = convertToOllamaGenerateRequest(
      { model: 'llama3.2', prompt: 'def fib(n):', suffix: '\n    return a', max_tokens: 32, temperature: 0.2, top_p: 0.9, seed: 4, stop: '\n\n', presence_penalty: 0.5, frequency_penalty: -0.5, top_k: 20, stream_options: { include_usage: true } },
      'qwen2.5-coder',
      true,
      { keepAlive: '10m', numCtx: 4096 },
    );
    assert.deepEqual(plan.body, {
      model: 'qwen2.5-coder',
      prompt: 'def fib(n):',
      stream: true,
      suffix: '\n    return a',
      options: { temperature: 0.2, top_p: 0.9, top_k: 20, seed: 4, presence_penalty: 0.5, frequency_penalty: -0.5, num_predict: 32, stop: ['\n\n'], num_ctx: 4096 },
      keep_alive: '10m',
    });
    assert.deepEqual(plan.unhonoured, []);
    assert.equal(plan.echo, undefined);
    assert.deepEqual(convertToOllamaGenerateRequest({ model: 'm', prompt: ['only one'] }, 'm', false).body, { model: 'm', prompt: 'only one', stream: false });
  });

  it('echo keeps the prompt to put back; best_of > 1, logprobs, logit_bias and user are unhonoured', () => {
    const plan = convertToOllamaGenerateRequest({ model: 'm', prompt: 'Once', echo: true, best_of: 3, logprobs: 2, logit_bias: { '50256': -100 }, user: 'u-1' }, 'm', false);
    assert.equal(plan.echo, 'Once');
    assert.deepEqual(plan.unhonoured, ['best_of', 'logprobs', 'logit_bias', 'user']);
    assert.deepEqual(convertToOllamaGenerateRequest({ model: 'm', prompt: 'x', best_of: 1, logprobs: null, echo: false }, 'm', false).unhonoured, []);
  });

  it('refused with a 400 naming the field: n > 1, several prompts, token-id prompts, an empty list', () => {
    const refused = (param: string) => (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param;
    assert.throws(() => convertToOllamaGenerateRequest({ model: 'm', prompt: 'x', n: 2 }, 'm', false), refused('n'));
    assert.throws(() => convertToOllamaGenerateRequest({ model: 'm', prompt: ['a', 'b'] }, 'm', false), refused('prompt'));
    assert.throws(() => convertToOllamaGenerateRequest({ model: 'm', prompt: [1, 2, 3] }, 'm', false), refused('prompt'));
    assert.throws(() => convertToOllamaGenerateRequest({ model: 'm', prompt: [] }, 'm', false), refused('prompt'));
  });
});

describe('convertOllamaGenerateResponse', () => {
  it('the response as the one choice\'s text, done_reason as finish_reason, counts as usage', () => {
    const completion = convertOllamaGenerateResponse(fixtureJson<OllamaGenerateResponse>('generate-text.json'), context);
    assert.deepEqual(completion, {
      id: 'cmpl-test',
      object: 'text_completion',
      created: 1_700_000_000,
      model: 'llama3.2',
      choices: [{ index: 0, text: 'Bonjour ! Le ciel est bleu à cause de la diffusion de Rayleigh. 🌍', finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 31, completion_tokens: 19, total_tokens: 50 },
    });
    assert.equal(convertOllamaGenerateResponse(fixtureJson<OllamaGenerateResponse>('generate-length.json'), context).choices[0].finish_reason, 'length');
    assert.equal(convertOllamaGenerateResponse({ response: ' upon a time', done: true, done_reason: 'stop' }, { ...context, echo: 'Once' }).choices[0].text, 'Once upon a time');
    assert.equal('usage' in convertOllamaGenerateResponse({ response: 'x', done: true }, context), false);
    assert.throws(() => convertOllamaGenerateResponse(null as unknown as OllamaGenerateResponse, context), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
  });
});

describe('openOllamaGenerateStream', () => {
  it('text_completion chunks (multi-byte UTF-8 intact), the finish on an empty text, then usage; the same however the bytes are split', async () => {
    const bytes = fixtureBytes('generate-stream.ndjson');
    const whole = await run([bytes]);
    assert.equal(whole.error, undefined);
    assert.deepEqual(texts(whole.chunks), [['Grüß Gott! ', null], ['東京は晴れです 🌸', null], [' — café ✓', null], ['', 'stop']]);
    assert.ok(whole.chunks.every((chunk) => chunk.object === 'text_completion' && chunk.id === 'cmpl-test' && chunk.model === 'llama3.2'));
    assert.deepEqual(whole.chunks.at(-1), { id: 'cmpl-test', object: 'text_completion', created: 1_700_000_000, model: 'llama3.2', choices: [], usage: { prompt_tokens: 14, completion_tokens: 12, total_tokens: 26 } });
    for (let offset = 1; offset < bytes.length; offset++) {
      const split = await run([bytes.subarray(0, offset), bytes.subarray(offset)]);
      assert.deepEqual(split, whole, `split at ${offset}`);
    }
  });

  it('echo: the prompt comes first', async () => {
    const { chunks } = await run([fixtureBytes('generate-stream.ndjson')], { ...context, echo: 'Say hi: ' });
    assert.deepEqual(texts(chunks)[0], ['Say hi: ', null]);
  });

  it('an error line after text ends the stream with Ollama\'s message; one as the first line is thrown before anything streams', async () => {
    const midway = await run([fixtureBytes('generate-stream-error-midway.ndjson')]);
    assert.deepEqual(texts(midway.chunks), [['Partial ', null]]);
    assert.equal(midway.error?.status, 500);
    assert.match(midway.error?.message ?? '', /unexpected EOF/);
    await assert.rejects(openOllamaGenerateStream(pieces([Buffer.from('{"error":"model requires more system memory (9.1 GiB) than is available (4.0 GiB)"}\n')]), context, mapError), (error: unknown) => error instanceof GatewayError && /system memory/.test(error.message));
  });

  it('a stream cut before its done line, or with no line, is a bad response', async () => {
    const cut = await run([Buffer.from('{"response":"Half","done":false}\n')]);
    assert.deepEqual(texts(cut.chunks), [['Half', null]]);
    assert.equal(cut.error?.code, 'upstream_bad_response');
    await assert.rejects(openOllamaGenerateStream(pieces([]), context, mapError), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_bad_response');
    const notJson = await run([Buffer.from('{"response":"a","done":false}\nnot json\n')]);
    assert.equal(notJson.error?.code, 'upstream_bad_response');
  });
});
