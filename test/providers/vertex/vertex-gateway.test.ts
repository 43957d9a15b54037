import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { replyInPieces, replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import { startProviderGateway, withProviderGateway, type GatewaySetup } from '../../helpers/provider-gateway.ts';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';
import { collect, isApiError } from '../../helpers/openai-sdk.ts';
import { fixtureBytes as geminiFixture } from '../gemini/fixtures.ts';
import { readFixture as anthropicFixture, readJsonFixture as anthropicJsonFixture } from '../anthropic/run-stream-fixture.ts';
import { startGateway } from '../../helpers/start-gateway.ts';
import { externalAccountFile, GoogleStandIn, metadataProject, privateKeyPem, serviceAccountFile, vertexFixture, writeCredentialsFile } from './google-stand-in.ts';

const gemini = 'vertex/gemini-2.5-flash';
const claude = 'vertex/claude-sonnet-4-5@20250929';
const modelsPath = '/v1/projects/my-project/locations/us-central1/publishers';

/** Zero-config: Google's variables, the service account's token_uri and VERTEX_BASE_URL pointed at the stand-in. */
const zeroConfig: GatewaySetup = (url) => ({
  env: { GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(`${url}/token`), GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-central1', VERTEX_BASE_URL: url },
});

/** Vertex answers generateContent and rawPredict with the Gemini API's and Anthropic's own bodies: their recorded fixtures serve. */
function geminiJson(fixture: string): Reply {
  return replyWhole(200, { 'content-type': 'application/json; charset=UTF-8' }, () => geminiFixture(fixture));
}
function geminiSse(fixture: string): Reply {
  return replyInPieces({ 'content-type': 'text/event-stream', 'x-content-type-options': 'nosniff' }, () => geminiFixture(fixture), 5);
}
function claudeJson(fixture: string): Reply {
  return replyWhole(200, { 'content-type': 'application/json' }, () => JSON.stringify(anthropicJsonFixture<{ anthropic: unknown }>(`responses/${fixture}.json`).anthropic));
}
function claudeSse(fixture: string): Reply {
  return replyInPieces({ 'content-type': 'text/event-stream; charset=utf-8' }, () => anthropicFixture(`streams/${fixture}.sse`), 7);
}
function googleError(status: number, fixture: string, headers: Record<string, string> = {}): Reply {
  return replyWhole(status, { 'content-type': 'application/json; charset=UTF-8', ...headers }, () => vertexFixture(fixture));
}

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city', 'unit'] } },
};

describe('vertex provider through the gateway (OpenAI SDK client, zero-config: service account file, token endpoint checked)', () => {
  const google = new GoogleStandIn();
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ client, close } = await startProviderGateway(google.handler, zeroConfig));
  });
  beforeEach(() => google.reset());
  after(() => close());

  /** The one Vertex call since the last reset: its path, a token the stand-in issued, its JSON body. */
  function sent(path: string): Record<string, unknown> {
    assert.deepEqual(google.problems, []);
    const calls = google.vertexRequests();
    assert.equal(calls.length, 1);
    const [request] = calls;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, path);
    assert.match(String(request.headers['content-type']), /^application\/json/);
    assert.ok(google.issued.includes(String(request.headers.authorization).replace('Bearer ', '')), 'an issued access token');
    assert.ok(!JSON.stringify(request.headers).includes('client-key'), 'the client key is not forwarded');
    return request.json as Record<string, unknown>;
  }

  it('Gemini text: generateContent under the project and location, the gemini adapter body, content and usage back', async () => {
    google.reply = geminiJson('generate-text.json');
    const completion = await client.chat.completions.create({ model: gemini, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], temperature: 0.3, max_tokens: 64 });
    assert.deepEqual(sent(`${modelsPath}/google/models/gemini-2.5-flash:generateContent`), {
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      generationConfig: { temperature: 0.3, maxOutputTokens: 64 },
    });
    assert.equal(completion.choices[0].message.content, 'Bonjour ! Je suis Gemini — ravi de vous aider. 🌍');
    assert.deepEqual(completion.usage, { prompt_tokens: 9, completion_tokens: 39, total_tokens: 48, completion_tokens_details: { reasoning_tokens: 25 } });
  });

  it('Gemini stream: streamGenerateContent?alt=sse, deltas whole, the usage chunk when asked', async () => {
    google.reply = geminiSse('stream-text.sse');
    const chunks = await collect(await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    sent(`${modelsPath}/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse`);
    assert.equal(google.vertexRequests()[0].headers.accept, 'text/event-stream');
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Grüß Gott! 東京は晴れです 🌸 — café ✓');
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'stop');
    assert.equal(chunks.at(-1)?.usage?.total_tokens, 40);
  });

  it('Gemini tools: functionDeclarations and toolConfig go up; tool_calls come back', async () => {
    google.reply = geminiJson('generate-tool-call.json');
    const completion = await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: [weatherTool], tool_choice: 'required' });
    const body = sent(`${modelsPath}/google/models/gemini-2.5-flash:generateContent`);
    assert.deepEqual(body.toolConfig, { functionCallingConfig: { mode: 'ANY' } });
    assert.equal((body.tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0].functionDeclarations[0].name, 'get_weather');
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    const calls = completion.choices[0].message.tool_calls as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    assert.deepEqual(calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)]), [
      ['get_weather', { city: 'Paris', unit: 'celsius' }],
      ['get_time', { timezone: 'Europe/Paris' }],
    ]);
  });

  it('Claude text: rawPredict under publishers/anthropic, the Messages body without model and with anthropic_version', async () => {
    google.reply = claudeJson('text');
    const completion = await client.chat.completions.create({ model: claude, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }] });
    assert.deepEqual(sent(`${modelsPath}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`), {
      anthropic_version: 'vertex-2023-10-16',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Be brief.' }],
    });
    assert.equal(google.vertexRequests()[0].headers['anthropic-version'], undefined);
    assert.equal(completion.choices[0].message.content, 'Hi! My name is Claude. How can I help?');
    assert.equal(completion.usage?.prompt_tokens, 3395);
    assert.equal(completion.usage?.prompt_tokens_details?.cached_tokens, 1000);
  });

  it('Claude stream: streamRawPredict with stream: true, text deltas, finish and usage', async () => {
    google.reply = claudeSse('text');
    const chunks = await collect(await client.chat.completions.create({ model: claude, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    const body = sent(`${modelsPath}/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`);
    assert.equal(body.stream, true);
    assert.equal(body.anthropic_version, 'vertex-2023-10-16');
    assert.equal('model' in body, false);
    assert.equal(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''), 'Hello! How can I help you today?');
    assert.equal(chunks.at(-2)?.choices[0].finish_reason, 'stop');
    assert.equal(chunks.at(-1)?.usage?.total_tokens, 37);
  });

  it('Claude tools (stream): tool_use blocks arrive as tool-call deltas with stable indexes', async () => {
    google.reply = claudeSse('tool-use');
    const chunks = await collect(await client.chat.completions.create({ model: claude, messages: [{ role: 'user', content: 'Weather?' }], tools: [weatherTool], stream: true }));
    const body = sent(`${modelsPath}/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`);
    assert.deepEqual(body.tools, [{ name: 'get_weather', description: 'Current weather', input_schema: weatherTool.function.parameters }]);
    const calls: Array<{ name: string; arguments: string }> = [];
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        calls[delta.index] ??= { name: '', arguments: '' };
        if (delta.function?.name) calls[delta.index].name = delta.function.name;
        calls[delta.index].arguments += delta.function?.arguments ?? '';
      }
    }
    assert.deepEqual(calls.map((call) => [call.name, JSON.parse(call.arguments)]), [
      ['get_weather', { location: 'San Francisco, CA' }],
      ['get_weather', { location: 'Paris' }],
      ['get_time', {}],
    ]);
    assert.equal(chunks.at(-1)?.choices[0].finish_reason, 'tool_calls');
  });

  it('Claude tools (non-stream): tool_calls come back', async () => {
    google.reply = claudeJson('tool-use');
    const completion = await client.chat.completions.create({ model: claude, messages: [{ role: 'user', content: 'Weather in SF?' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    assert.deepEqual(sent(`${modelsPath}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`).tool_choice, { type: 'tool', name: 'get_weather' });
    const [first] = completion.choices[0].message.tool_calls as OpenAI.Chat.ChatCompletionMessageFunctionToolCall[];
    assert.equal(first.id, 'toolu_01A09q90qw90lq917835lq9');
    assert.deepEqual(JSON.parse(first.function.arguments), { location: 'San Francisco, CA', unit: 'celsius' });
  });

  it('embeddings: text-embedding :predict with instances, vectors in order, the token count Vertex reports', async () => {
    google.reply = replyWhole(200, { 'content-type': 'application/json; charset=UTF-8' }, () => vertexFixture('predict-text-embedding.json'));
    const result = await client.embeddings.create({ model: 'vertex/text-embedding-005', input: ['hello', 'grüß gott'], dimensions: 4, encoding_format: 'float' });
    assert.deepEqual(sent(`${modelsPath}/google/models/text-embedding-005:predict`), { instances: [{ content: 'hello' }, { content: 'grüß gott' }], parameters: { outputDimensionality: 4 } });
    // Shortened with dimensions, so each vector is scaled to unit length.
    const unit = (vector: number[]) => vector.map((value) => value / Math.hypot(...vector));
    const expected = [unit([0.0123, -0.0456, 0.0789, 0.011]), unit([-0.5, 0.25, 0.125, -0.0625])];
    result.data.forEach((item, index) => item.embedding.forEach((value, position) => assert.ok(Math.abs(value - expected[index][position]) < 1e-12)));
    assert.equal(result.usage.prompt_tokens, 8);
  });

  it("embeddings: the client's task_type goes on every instance", async () => {
    google.reply = replyWhole(200, { 'content-type': 'application/json; charset=UTF-8' }, () => vertexFixture('predict-text-embedding.json'));
    await client.embeddings.create({ model: 'vertex/text-embedding-005', input: ['hello', 'grüß gott'], encoding_format: 'float', task_type: 'RETRIEVAL_QUERY' } as never);
    assert.deepEqual(sent(`${modelsPath}/google/models/text-embedding-005:predict`), { instances: [{ content: 'hello', task_type: 'RETRIEVAL_QUERY' }, { content: 'grüß gott', task_type: 'RETRIEVAL_QUERY' }] });
  });

  it('a Claude model cannot embed: 400 naming the model', async () => {
    await assert.rejects(client.embeddings.create({ model: claude, input: 'x' }), isApiError(400, 'invalid_request', 'invalid_request_error'));
    assert.equal(google.vertexRequests().length, 0);
  });

  it('the access token is fetched once and reused across calls', async () => {
    google.reply = geminiJson('generate-text.json');
    for (let index = 0; index < 3; index++) await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] });
    assert.equal(google.tokenRequests().length, 0, 'the earlier tests already hold a valid token');
    assert.deepEqual(new Set(google.vertexRequests().map((request) => request.headers.authorization)), new Set([`Bearer ${google.issued[0]}`]));
    assert.equal(google.issued.length, 1);
  });
});

describe('vertex access tokens through the gateway', () => {
  it('concurrent first calls share one token request; a token is renewed 5 minutes before it expires', async (context) => {
    const google = new GoogleStandIn();
    google.tokenDelayMs = 50;
    google.reply = geminiJson('generate-text.json');
    await withProviderGateway(google.handler, zeroConfig, async (client) => {
      const ask = () => client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] });
      await Promise.all([ask(), ask(), ask(), ask(), ask()]);
      assert.equal(google.tokenRequests().length, 1, 'one token request for five concurrent calls');
      await ask();
      assert.equal(google.tokenRequests().length, 1, 'still valid: reused');
      // google-auth-library reads the clock through Date: move it alone, past 55 minutes of the token's hour.
      context.mock.timers.enable({ apis: ['Date'], now: Date.now() });
      context.mock.timers.setTime(Date.now() + 55 * 60_000 + 1000);
      await ask();
      assert.equal(google.tokenRequests().length, 2, 'renewed');
      assert.equal(google.vertexRequests().at(-1)?.headers.authorization, `Bearer ${google.issued[1]}`);
      assert.deepEqual(google.problems, []);
    });
  });

  it('a token Vertex refuses (401) is forgotten and the call tried once more with a new one: the client gets its answer', async () => {
    const google = new GoogleStandIn();
    google.reply = geminiJson('generate-text.json');
    await withProviderGateway(google.handler, zeroConfig, async (client) => {
      await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] });
      google.issued.length = 0; // revoked at Google
      const before = google.vertexRequests().length;
      await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] });
      assert.equal(google.tokenRequests().length, 2, 'a new token');
      assert.equal(google.vertexRequests().length - before, 2, 'the refused call, then the one with the new token');
    });
  });

  it('a Vertex that refuses every token: one more try, then the 401 says the gateway’s credential was refused', async () => {
    const google = new GoogleStandIn();
    google.reply = geminiJson('generate-text.json');
    await withProviderGateway(google.handler, zeroConfig, async (client) => {
      await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] });
      google.reply = (_request, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }));
      };
      const before = google.vertexRequests().length;
      await assert.rejects(client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(401, 'invalid_api_key', 'authentication_error')(error);
        // The token came from the gateway's credential file: the operator's to fix, as for a configured key.
        assert.match((error as APIError).message, /Provider 'vertex' refused the credential the gateway holds for it \(not the key this request sent\): /);
        return true;
      });
      assert.equal(google.vertexRequests().length - before, 2, 'one more try, not more');
    });
  });

  it('api_key is sent as the bearer token as given, with no token request (config entry form)', async () => {
    const google = new GoogleStandIn();
    google.accepted.add('ya29.given-access-token');
    google.reply = claudeJson('text');
    const setup: GatewaySetup = (url) => ({
      config: `
providers:
  gcp: { type: vertex, api_key: ya29.given-access-token, base_url: "${url}", options: { project: my-project, location: us-central1 } }
plugins:
  cost: {}
`,
    });
    await withProviderGateway(google.handler, setup, async (client) => {
      const { data, response } = await client.chat.completions.create({ model: 'gcp/claude-sonnet-4-5@20250929', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();
      assert.equal(data.choices[0].message.content, 'Hi! My name is Claude. How can I help?');
      assert.equal(google.vertexRequests()[0].headers.authorization, 'Bearer ya29.given-access-token');
      assert.equal(google.tokenRequests().length, 0);
      // Vertex's Claude prices as Anthropic's (the price catalog's vertex fallback).
      assert.ok(Number(response.headers.get('x-tollgate-cost-usd')) > 0, 'a cost from the catalog');
    });
  });

  it('the token endpoint refusing the assertion is a 502 in OpenAI shape, with no secret in it', async () => {
    const google = new GoogleStandIn();
    // A token endpoint that echoes what it was sent must not get it to the client.
    google.tokenReply = (request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'invalid_grant', error_description: `Invalid JWT Signature. (${new URLSearchParams(request.body).get('assertion')})` }));
    };
    await withProviderGateway(google.handler, zeroConfig, async (client) => {
      const error = await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] }).then(
        () => assert.fail('expected a failure'),
        (caught: unknown) => caught,
      );
      isApiError(502, 'provider_auth_failed', 'upstream_error')(error);
      const body = JSON.stringify((error as APIError).error);
      assert.match(body, /invalid_grant/);
      assert.match(body, /\[redacted\]/);
      assert.doesNotMatch(body, /eyJ/, 'no JWT');
      assert.doesNotMatch(body, /PRIVATE KEY/);
      assert.equal(google.vertexRequests().length, 0);
    });
  });

  it('a token endpoint that cannot be reached is a 502 naming it', async () => {
    const setup: GatewaySetup = (url) => ({ env: { GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile('http://127.0.0.1:9/token'), GOOGLE_CLOUD_PROJECT: 'my-project', VERTEX_BASE_URL: url } });
    await withProviderGateway(new GoogleStandIn().handler, setup, async (client) => {
      await assert.rejects(client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(502, 'provider_auth_failed', 'upstream_error')(error);
        assert.match((error as APIError).message, /token endpoint could not be reached/);
        return true;
      });
    });
  });
});

describe('vertex credentials without a key file (workload identity)', () => {
  it('a configured entry with neither api_key nor credential file gets its token and project from the metadata server', async () => {
    const google = new GoogleStandIn();
    google.reply = geminiJson('generate-text.json');
    const saved = process.env.GCE_METADATA_HOST;
    const setup: GatewaySetup = (url) => {
      // google-auth-library finds the metadata server through GCE_METADATA_HOST, as Google's other libraries do.
      process.env.GCE_METADATA_HOST = url.replace('http://', '');
      return { config: `providers:\n  gcp: { type: vertex, base_url: "${url}", options: { location: us-central1 } }\n` };
    };
    try {
      await withProviderGateway(google.handler, setup, async (client) => {
        const completion = await client.chat.completions.create({ model: 'gcp/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] });
        assert.equal(completion.choices[0].message.content, 'Bonjour ! Je suis Gemini — ravi de vous aider. 🌍');
        await client.chat.completions.create({ model: 'gcp/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] });
        assert.deepEqual(google.problems, [], 'every metadata request said Metadata-Flavor: Google');
        const calls = google.vertexRequests();
        assert.deepEqual(calls.map((call) => call.path), Array(2).fill(`/v1/projects/${metadataProject}/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent`));
        assert.deepEqual(new Set(calls.map((call) => call.headers.authorization)), new Set([`Bearer ${google.issued[0]}`]));
        assert.equal(google.metadataRequests().filter((request) => request.path.includes('/token')).length, 1, 'the token is cached');
      });
    } finally {
      process.env.GCE_METADATA_HOST = saved;
    }
  });

  it('an unreachable metadata server is a 502 provider_auth_failed', async () => {
    // GCE_METADATA_HOST is a closed local port here (google-stand-in.ts).
    const setup: GatewaySetup = (url) => ({ config: `providers:\n  gcp: { type: vertex, base_url: "${url}", options: { project: my-project } }\n` });
    await withProviderGateway(new GoogleStandIn().handler, setup, async (client, upstream) => {
      await assert.rejects(client.chat.completions.create({ model: 'gcp/gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(502, 'provider_auth_failed', 'upstream_error')(error);
        assert.match((error as APIError).message, /the metadata server could not be reached/);
        return true;
      });
      assert.equal(upstream.requests.length, 0);
    });
  });

  it('zero-config with an external_account file (workload identity federation) trades the subject token at the STS', async () => {
    const google = new GoogleStandIn();
    google.reply = geminiJson('generate-text.json');
    const setup: GatewaySetup = (url) => ({ env: { GOOGLE_APPLICATION_CREDENTIALS: externalAccountFile(`${url}/sts`), GOOGLE_CLOUD_PROJECT: 'my-project', GOOGLE_CLOUD_LOCATION: 'us-central1', VERTEX_BASE_URL: url } });
    await withProviderGateway(google.handler, setup, async (client) => {
      await client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] });
      assert.deepEqual(google.problems, []);
      assert.equal(google.stsRequests().length, 1);
      assert.equal(google.vertexRequests()[0].headers.authorization, `Bearer ${google.issued[0]}`);
    });
  });
});

describe('vertex errors through the gateway (Google error JSON)', () => {
  const withError = (reply: Reply, check: (client: OpenAI) => Promise<void>) => {
    const google = new GoogleStandIn();
    google.reply = reply;
    return withProviderGateway(google.handler, zeroConfig, check);
  };
  const ask = (client: OpenAI, model = gemini) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hi' }] });

  it('403 PERMISSION_DENIED: permission_error', async () => {
    await withError(googleError(403, 'error-403-permission-denied.json'), async (client) => {
      await assert.rejects(ask(client), (error: unknown) => {
        isApiError(403, 'permission_denied', 'permission_error')(error);
        assert.match((error as APIError).message, /aiplatform\.endpoints\.predict/);
        return true;
      });
    });
  });

  it('404 NOT_FOUND for an unknown publisher model: model_not_found', async () => {
    await withError(googleError(404, 'error-404-model.json'), async (client) => {
      await assert.rejects(ask(client, 'vertex/gemini-9-ultra'), isApiError(404, 'model_not_found', 'not_found_error'));
    });
  });

  it('429 RESOURCE_EXHAUSTED (Claude too): rate_limit_error with Retry-After kept', async () => {
    await withError(googleError(429, 'error-429-resource-exhausted.json', { 'retry-after': '12' }), async (client) => {
      await assert.rejects(ask(client, claude), (error: unknown) => {
        isApiError(429, 'rate_limit_exceeded', 'rate_limit_error')(error);
        assert.equal((error as APIError).headers?.get('retry-after'), '12');
        return true;
      });
    });
  });

  it("401 UNAUTHENTICATED with the token echoed: authentication_error, the token scrubbed", async () => {
    const echo: Reply = (request: RecordedRequest, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 401, message: `Token ${String(request.headers.authorization).slice(7)} is expired.`, status: 'UNAUTHENTICATED' } }));
    };
    await withError(echo, async (client) => {
      await assert.rejects(ask(client), (error: unknown) => {
        isApiError(401, 'invalid_api_key', 'authentication_error')(error);
        assert.doesNotMatch(JSON.stringify((error as APIError).error), /ya29/);
        return true;
      });
    });
  });

  it("Claude's own 400 (prompt is too long): context_length_exceeded", async () => {
    await withError(googleError(400, 'error-400-claude-prompt-too-long.json'), async (client) => {
      await assert.rejects(ask(client, claude), isApiError(400, 'context_length_exceeded', 'invalid_request_error'));
    });
  });
});

describe('vertex credentials at start', () => {
  it('a credential file that cannot be used is a config error naming the file, never its key', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['missing', '/nonexistent/vertex-key.json', /cannot read \/nonexistent\/vertex-key\.json \(ENOENT\)/],
      ['not JSON', writeCredentialsFile(`{"type":"service_account","private_key":"${privateKeyPem.slice(0, 120).replaceAll('\n', '\\n')}`), /: not JSON/],
      ['a broken private key', serviceAccountFile('https://oauth2.googleapis.com/token', { private_key: `${privateKeyPem.slice(0, 200)}garbage` }), /private_key is not a PEM private key/],
      ['an unsupported type', serviceAccountFile('https://oauth2.googleapis.com/token', { type: 'impersonated_service_account' }), /credential type "impersonated_service_account" is not supported/],
      ['an external_account without a credential source', externalAccountFile('https://sts.googleapis.com/v1/token', { credential_source: null }), /needs a credential_source/],
      ['a credential_source google-auth-library refuses', externalAccountFile('https://sts.googleapis.com/v1/token', { credential_source: { format: { type: 'text' } } }), /No valid Identity Pool "credential_source"/],
      ['a token_uri over plain http', serviceAccountFile('http://oauth2.example.com/token'), /token_uri must be an https URL/],
    ];
    for (const [what, path, expected] of cases) {
      await assert.rejects(startGateway(`providers:\n  vertex: { type: vertex, options: { project: my-project, credentials_file: "${path}" } }\n`), (error: unknown) => {
        assert.ok(error instanceof Error && error.name === 'ConfigError', `${what}: ${String(error)}`);
        assert.match(error.message, /providers\.vertex\.options\.credentials_file/);
        assert.match(error.message, expected, what);
        assert.doesNotMatch(error.message, /PRIVATE KEY|MII/, what);
        return true;
      });
    }
  });

  it('zero-config with a credential file of another kind still starts; calls get a 401 that says why', async () => {
    const impersonated = serviceAccountFile('https://oauth2.googleapis.com/token', { type: 'impersonated_service_account' });
    await withProviderGateway(new GoogleStandIn().handler, (url) => ({ env: { GOOGLE_APPLICATION_CREDENTIALS: impersonated, GOOGLE_CLOUD_PROJECT: 'my-project', VERTEX_BASE_URL: url } }), async (client, upstream) => {
      await assert.rejects(client.chat.completions.create({ model: gemini, messages: [{ role: 'user', content: 'Hi' }] }), (error: unknown) => {
        isApiError(401, 'missing_provider_key', 'authentication_error')(error);
        assert.match((error as APIError).message, /impersonated_service_account/);
        return true;
      });
      assert.equal(upstream.requests.length, 0);
    });
  });
});
