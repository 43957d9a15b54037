import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { onlyRequest, startProviderGateway, withProviderGateway } from '../../helpers/provider-gateway.ts';
import { collect, isApiError } from '../../helpers/openai-sdk.ts';
import { fixtureBytes } from './fixtures.ts';

const model = 'ollama/llama3.2';

function json(status: number, fixture: string): Reply {
  return replyWhole(status, { 'content-type': 'application/json; charset=utf-8' }, () => fixtureBytes(fixture));
}

/** A recorded NDJSON stream, written in small pieces so lines and characters are split too. */
function ndjson(fixture: string, pieceSize = 5): Reply {
  return replyInPieces({ 'content-type': 'application/x-ndjson' }, () => fixtureBytes(fixture), pieceSize);
}

describe('ollama legacy text completions through the gateway (OpenAI SDK client.completions, /api/generate)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;
  let reply: Reply = json(500, 'error-500.json');

  before(async () => {
    const config = `
providers:
  ollama: { type: ollama, base_url: "$UPSTREAM", options: { keep_alive: 10m, num_ctx: 8192 } }
`;
    ({ upstream, client, close } = await startProviderGateway((request, response) => reply(request, response), (upstreamUrl) => ({ config: config.replace('$UPSTREAM', upstreamUrl) })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  function sent(): Record<string, unknown> {
    return onlyRequest(upstream, '/api/generate').json as Record<string, unknown>;
  }

  it('completions.create: POST /api/generate with the prompt and options; a text_completion with usage comes back', async () => {
    reply = json(200, 'generate-text.json');
    const completion = await client.completions.create({ model, prompt: 'Why is the sky blue?', max_tokens: 64, temperature: 0.3, stop: ['\n\n'], seed: 5 });
    assert.deepEqual(sent(), {
      model: 'llama3.2',
      prompt: 'Why is the sky blue?',
      stream: false,
      options: { temperature: 0.3, seed: 5, num_predict: 64, stop: ['\n\n'], num_ctx: 8192 },
      keep_alive: '10m',
    });
    assert.equal(completion.object, 'text_completion');
    assert.match(completion.id, /^cmpl-/);
    assert.equal(completion.model, 'llama3.2');
    assert.deepEqual(completion.choices, [{ index: 0, text: 'Bonjour ! Le ciel est bleu à cause de la diffusion de Rayleigh. 🌍', finish_reason: 'stop', logprobs: null }]);
    assert.deepEqual(completion.usage, { prompt_tokens: 31, completion_tokens: 19, total_tokens: 50 });
  });

  it('the num_predict limit is finish_reason length; suffix goes up for fill-in-the-middle; echo puts the prompt in front', async () => {
    reply = json(200, 'generate-length.json');
    const completion = await client.completions.create({ model: 'ollama/qwen2.5-coder', prompt: 'def add(a, b):', suffix: '\n    return result', max_tokens: 5, echo: true });
    const body = sent();
    assert.equal(body.suffix, '\n    return result');
    assert.equal('raw' in body, false);
    assert.equal(completion.choices[0].finish_reason, 'length');
    assert.equal(completion.choices[0].text, 'def add(a, b):The sky appears blue because');
  });

  it('stream: NDJSON from /api/generate becomes text_completion chunks; usage only when asked for; [DONE] ends it', async () => {
    reply = ndjson('generate-stream.ndjson');
    const withUsage = await collect(await client.completions.create({ model, prompt: 'Hi', stream: true, stream_options: { include_usage: true } }));
    assert.equal(sent().stream, true);
    assert.equal(upstream.requests[0].headers.accept, 'application/x-ndjson');
    assert.ok(withUsage.every((chunk) => chunk.object === 'text_completion' && chunk.id === withUsage[0].id));
    assert.equal(withUsage.map((chunk) => chunk.choices[0]?.text ?? '').join(''), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    assert.equal(withUsage.at(-2)?.choices[0].finish_reason, 'stop');
    assert.deepEqual(withUsage.at(-1)?.choices, []);
    assert.deepEqual(withUsage.at(-1)?.usage, { prompt_tokens: 14, completion_tokens: 12, total_tokens: 26 });
    // As OpenAI streams with include_usage: usage null on every chunk before the usage chunk.
    assert.ok(withUsage.slice(0, -1).every((chunk) => 'usage' in chunk && chunk.usage === null));

    upstream.requests.length = 0;
    const withoutUsage = await collect(await client.completions.create({ model, prompt: 'Hi', stream: true }));
    // Without it, as OpenAI: no usage field at all.
    assert.ok(withoutUsage.every((chunk) => chunk.choices.length === 1 && !('usage' in chunk)));
    assert.equal(withoutUsage.at(-1)?.choices[0].finish_reason, 'stop');

    // The raw bytes: SSE, ending with [DONE].
    upstream.requests.length = 0;
    const raw = await fetch(`${client.baseURL}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, prompt: 'Hi', stream: true }) });
    assert.match(String(raw.headers.get('content-type')), /^text\/event-stream/);
    assert.match(await raw.text(), /data: \[DONE\]\n\n$/);
  });

  it('refused with 400 before any upstream call: n > 1, several prompts, token-id prompts', async () => {
    reply = json(200, 'generate-text.json');
    const param = async (promise: Promise<unknown>) => {
      let caught: unknown;
      await assert.rejects(promise, (error: unknown) => {
        caught = error;
        return isApiError(400, 'invalid_request', 'invalid_request_error')(error);
      });
      return ((caught as APIError).error as { param?: string }).param;
    };
    assert.equal(await param(client.completions.create({ model, prompt: 'Hi', n: 2 })), 'n');
    assert.equal(await param(client.completions.create({ model, prompt: ['one', 'two'] })), 'prompt');
    assert.equal(await param(client.completions.create({ model, prompt: [1, 2, 3] })), 'prompt');
    assert.equal(upstream.requests.length, 0);
  });

  it('logprobs and best_of are dropped (with the gateway\'s warning); the completion is served', async () => {
    reply = json(200, 'generate-text.json');
    const completion = await client.completions.create({ model, prompt: 'Hi', logprobs: 2, best_of: 2 });
    const body = sent();
    assert.equal('logprobs' in body || 'best_of' in body, false);
    assert.equal(completion.choices[0].logprobs, null);
  });
});

describe('ollama legacy text completion failures through the gateway', () => {
  function withGateway(reply: Reply, check: (client: OpenAI, upstream: StandIn) => Promise<void>, config = '{}'): Promise<void> {
    return withProviderGateway(reply, (upstreamUrl) => ({ config: config.replace('$UPSTREAM', upstreamUrl), env: { OLLAMA_HOST: upstreamUrl } }), check);
  }

  it('404 unknown model: model_not_found naming the model, streamed or not', async () => {
    await withGateway(json(404, 'error-404-model-not-found.json'), async (client) => {
      await assert.rejects(client.completions.create({ model: 'ollama/nope', prompt: 'Hi' }), isApiError(404, 'model_not_found', 'not_found_error'));
      await assert.rejects(client.completions.create({ model: 'ollama/nope', prompt: 'Hi', stream: true }), isApiError(404, 'model_not_found', 'not_found_error'));
    });
  });

  it('an error line as the first line is an HTTP error; after text it is reported in-stream', async () => {
    const firstLine: Reply = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/x-ndjson' });
      response.end('{"error":"model requires more system memory (9.1 GiB) than is available (4.0 GiB)"}\n');
    };
    await withGateway(firstLine, async (client) => {
      await assert.rejects(client.completions.create({ model, prompt: 'Hi', stream: true }), (error: unknown) => error instanceof APIError && error.status === 500 && /system memory/.test(error.message));
    });
    await withGateway(ndjson('generate-stream-error-midway.ndjson'), async (client) => {
      const stream = await client.completions.create({ model, prompt: 'Hi', stream: true });
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const chunk of stream) seen.push(chunk.choices[0]?.text ?? '');
        })(),
        (error: unknown) => error instanceof APIError && /unexpected EOF/.test(error.message),
      );
      assert.equal(seen.join(''), 'Partial ');
    });
  });

  it('under strict_params, logprobs is refused with 400 unsupported_parameter before any upstream call', async () => {
    const config = `
providers:
  local: { type: ollama, base_url: "$UPSTREAM", strict_params: true }
`;
    await withGateway(json(200, 'generate-text.json'), async (client, upstream) => {
      await assert.rejects(client.completions.create({ model: 'local/llama3.2', prompt: 'Hi', logprobs: 1 }), (error: unknown) => {
        isApiError(400, 'unsupported_parameter', 'invalid_request_error')(error);
        assert.equal(((error as APIError).error as { param?: string }).param, 'logprobs');
        return true;
      });
      assert.equal(upstream.requests.length, 0);
    }, config);
  });
});
