import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geminiApiRoot, geminiModelPath } from '../../../src/providers/gemini/gemini-provider.ts';
import { decodeToolCallId, encodeToolCallId } from '../../../src/providers/gemini/gemini-tool-call-id.ts';

test('the API root: a host gets /v1beta; a base naming a version is kept', () => {
  assert.equal(geminiApiRoot('https://generativelanguage.googleapis.com'), 'https://generativelanguage.googleapis.com/v1beta');
  assert.equal(geminiApiRoot('http://127.0.0.1:9/'), 'http://127.0.0.1:9/v1beta');
  assert.equal(geminiApiRoot('https://proxy.example/google/v1beta/'), 'https://proxy.example/google/v1beta');
  assert.equal(geminiApiRoot('https://proxy.example/v1'), 'https://proxy.example/v1');
});

test('model paths: bare names go under models/, collections stay, segments are escaped', () => {
  assert.equal(geminiModelPath('gemini-2.5-flash'), 'models/gemini-2.5-flash');
  assert.equal(geminiModelPath('models/gemini-2.5-pro'), 'models/gemini-2.5-pro');
  assert.equal(geminiModelPath('tunedModels/my-model-123'), 'tunedModels/my-model-123');
  assert.equal(geminiModelPath('odd name?'), 'models/odd%20name%3F');
  // A name must not walk the URL: one segment, its slashes and dots kept inside it.
  assert.equal(geminiModelPath('gemini-2.5-flash/../models/gemini-2.5-pro'), 'models/gemini-2.5-flash%2F..%2Fmodels%2Fgemini-2.5-pro');
  assert.equal(geminiModelPath('models/..'), 'models/models%2F..');
  assert.equal(geminiModelPath('../../../x'), 'models/..%2F..%2F..%2Fx');
});

test("a key limited to one model cannot reach another through a path in the model's name (a dot-segment is refused before any call)", async () => {
  const { startProviderGateway } = await import('../../helpers/provider-gateway.ts');
  const paths: string[] = [];
  const running = await startProviderGateway(
    (request, response) => {
      paths.push(request.path);
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 404, message: 'models/x is not found for API version v1beta', status: 'NOT_FOUND' } }));
    },
    (upstreamUrl) => ({
      config: `providers: { gem: { type: gemini, api_key: operator-key, base_url: "${upstreamUrl}" } }
plugins: { key-auth: { keys: [{ key: tg-flash-only-0123456789, consumer: app, models: ["gem/gemini-2.5-flash*"] }] } }`,
    }),
  );
  try {
    for (const model of ['gem/gemini-2.5-flash/../models/gemini-2.5-pro', 'gem/gemini-2.5-flash/../../../v1/x']) {
      const answer = await fetch(`${running.gateway.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer tg-flash-only-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });
      // A `..` part of a model name is refused as a 400 naming `model` (src/canonical/model-name.ts).
      assert.equal(answer.status, 400, model);
      const body = (await answer.json()) as { error: { param?: string } };
      assert.equal(body.error.param, 'model');
    }
    assert.equal(paths.length, 0);
  } finally {
    await running.close();
  }
});

test('tool call ids carry the thought signature losslessly and stay [A-Za-z0-9_-]', () => {
  const signature = Buffer.from(Array.from({ length: 300 }, (_, index) => (index * 37) % 256)).toString('base64');
  const id = encodeToolCallId('call_x_0', signature);
  assert.match(id, /^[A-Za-z0-9_-]+$/);
  const decoded = decodeToolCallId(id);
  assert.equal(decoded.id, 'call_x_0');
  assert.equal(decoded.signature, signature);
  assert.deepEqual(decodeToolCallId('call_plain'), { id: 'call_plain', signature: undefined });
  assert.equal(encodeToolCallId('call_plain', undefined), 'call_plain');
});
