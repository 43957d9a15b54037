import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ollamaRootUrl } from '../../../src/providers/ollama/ollama-base-url.ts';

test('OLLAMA_HOST without a scheme: http:// and port 11434 are assumed, as Ollama\'s CLI does', () => {
  assert.equal(ollamaRootUrl('127.0.0.1:11434'), 'http://127.0.0.1:11434');
  assert.equal(ollamaRootUrl('gpu-box'), 'http://gpu-box:11434');
  assert.equal(ollamaRootUrl('gpu-box:8080'), 'http://gpu-box:8080');
  assert.equal(ollamaRootUrl(':11434'), 'http://127.0.0.1:11434');
  assert.equal(ollamaRootUrl('[::1]:11434'), 'http://[::1]:11434');
});

test('bind-all addresses are reached on loopback', () => {
  assert.equal(ollamaRootUrl('0.0.0.0:11434'), 'http://127.0.0.1:11434');
  assert.equal(ollamaRootUrl('http://0.0.0.0:11434/'), 'http://127.0.0.1:11434');
  assert.equal(ollamaRootUrl('[::]:11434'), 'http://[::1]:11434');
});

test('a scheme is kept; trailing slashes and /api are dropped; a proxy path stays', () => {
  assert.equal(ollamaRootUrl('http://127.0.0.1:11434/'), 'http://127.0.0.1:11434');
  assert.equal(ollamaRootUrl('https://ollama.com'), 'https://ollama.com');
  assert.equal(ollamaRootUrl('https://ollama.com/api/'), 'https://ollama.com');
  assert.equal(ollamaRootUrl(' https://proxy.example/ollama/ '), 'https://proxy.example/ollama');
});
