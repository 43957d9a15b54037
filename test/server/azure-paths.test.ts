import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { azurePathOf } from '../../src/server/azure-paths.ts';
import { formWithDeployment, jsonWithDeployment } from '../../src/formats/openai/deployment-model.ts';
import { parseUploadForm } from '../../src/formats/openai-forwarded/parse-upload-form.ts';

describe('azurePathOf: Azure-style paths as the gateway’s own', () => {
  const cases: Array<[string, ReturnType<typeof azurePathOf>]> = [
    ['/openai/deployments/my-gpt4o/chat/completions', { path: '/v1/chat/completions', deployment: 'my-gpt4o' }],
    ['/openai/deployments/azure/my-gpt4o/chat/completions', { path: '/v1/chat/completions', deployment: 'azure/my-gpt4o' }],
    ['/openai/deployments/azure%2Fmy-gpt4o/completions', { path: '/v1/completions', deployment: 'azure/my-gpt4o' }],
    ['/openai/deployments/%E6%A8%A1%E5%9E%8B/embeddings', { path: '/v1/embeddings', deployment: '模型' }],
    ['/deployments/d/images/generations', { path: '/v1/images/generations', deployment: 'd' }],
    ['/v1/deployments/d/audio/transcriptions', { path: '/v1/audio/transcriptions', deployment: 'd' }],
    ['/openai/v1/deployments/d/audio/speech', { path: '/v1/audio/speech', deployment: 'd' }],
    ['/openai/deployments//chat/completions', { path: '/v1/chat/completions', deployment: '' }],
    // The longest operation wins: the SDKs never encode the `/` of a deployment.
    ['/openai/deployments/x/chat/completions', { path: '/v1/chat/completions', deployment: 'x' }],
    ['/openai/v1/chat/completions', { path: '/v1/chat/completions' }],
    ['/openai/responses', { path: '/v1/responses' }],
    ['/openai/v1/models', { path: '/v1/models' }],
    ['/openai/v1/models/up/gpt-4o', { path: '/v1/models/up/gpt-4o' }],
    ['/openai/deployments/d/batches', null],
    ['/openai/deployments/d', null],
    ['/openai/v1/messages', null],
    ['/openai/v1/tollgate/usage', null],
    ['/v1/chat/completions', null],
    ['/deploymentsx/d/chat/completions', null],
  ];
  for (const [path, expected] of cases) {
    it(path, () => assert.deepEqual(azurePathOf(path), expected));
  }
});

describe('the deployment as the body’s model', () => {
  it('replaces or adds `model` in the client’s bytes, leaving the rest byte for byte', () => {
    const replaced = jsonWithDeployment({ model: 'gpt-4o', seed: 1 }, Buffer.from('{ "model": "gpt-4o", "seed": 12345678901234567890 }'), 'my-dep');
    assert.equal(replaced.rawBody.toString(), '{ "model": "my-dep", "seed": 12345678901234567890 }');
    assert.deepEqual(replaced.parsed, { model: 'my-dep', seed: 1 });
    const added = jsonWithDeployment({ input: 'hi' }, Buffer.from('{"input":"hi"}'), 'my-dep');
    assert.equal(added.rawBody.toString(), '{"model":"my-dep","input":"hi"}');
    const escaped = jsonWithDeployment({ model: 'gpt\u00e9' }, Buffer.from('{"model":"gpt\\u00e9"}'), 'my-dep');
    assert.equal(escaped.rawBody.toString(), '{"model":"my-dep"}');
  });

  it('refuses an empty deployment with 400 naming model', () => {
    assert.throws(() => jsonWithDeployment({}, Buffer.from('{}'), ''), (error: { status: number; param: string }) => error.status === 400 && error.param === 'model');
  });

  it('sets an upload form’s model field, adding one when the form has none', () => {
    const contentType = 'multipart/form-data; boundary=b';
    const file = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nRIFF\r\n--b--\r\n';
    const withModel = formWithDeployment(Buffer.from(`--b\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper\r\n${file}`), contentType, 'dep/whisper-1');
    assert.equal(parseUploadForm('transcriptions', withModel, contentType).model, 'dep/whisper-1');
    const withoutModel = formWithDeployment(Buffer.from(file), contentType, 'dep/whisper-1');
    assert.equal(parseUploadForm('transcriptions', withoutModel, contentType).model, 'dep/whisper-1');
    assert.ok(withoutModel.toString().endsWith(file));
  });
});
