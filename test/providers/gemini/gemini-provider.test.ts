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
