import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costOfTokens, costOfUsage, formatUsd } from '../../src/usage/compute-cost.ts';
import { estimatePromptTokens, requestedOutputTokens } from '../../src/usage/estimate-request-tokens.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe('cost of a usage', () => {
  const price = { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 };

  it('bills plain prompt and completion tokens per million', () => {
    close(costOfUsage(price, { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 }), 18);
    close(costOfTokens(price, 1000, 100), 0.0045);
  });

  it('bills cached tokens at the cached price and cache writes at the write price (both inside prompt_tokens)', () => {
    const usage = { prompt_tokens: 10_000, completion_tokens: 1000, total_tokens: 11_000, prompt_tokens_details: { cached_tokens: 6000 }, cache_creation_tokens: 2000 };
    close(costOfUsage(price, usage), (2000 * 3 + 6000 * 0.3 + 2000 * 3.75 + 1000 * 15) / 1e6);
  });

  it('falls back to the input price without a cached price, and bills reasoning at its own price when it has one', () => {
    close(costOfUsage({ input: 1, output: 2 }, { prompt_tokens: 100, completion_tokens: 0, total_tokens: 100, prompt_tokens_details: { cached_tokens: 50 } }), 100 / 1e6);
    close(costOfUsage({ input: 0, output: 8, reasoning: 3 }, { prompt_tokens: 0, completion_tokens: 100, total_tokens: 100, completion_tokens_details: { reasoning_tokens: 40 } }), (60 * 8 + 40 * 3) / 1e6);
  });

  it('formats USD without exponents', () => {
    assert.equal(formatUsd(0.00000015), '0.00000015');
    assert.equal(formatUsd(12.5), '12.5');
    assert.equal(formatUsd(0), '0');
  });
});

describe('token estimates before the call', () => {
  it('estimates the prompt of chat, completions and embeddings requests', () => {
    const chat = estimatePromptTokens('chat', { model: 'm', messages: [{ role: 'user', content: 'four words are here' }] });
    assert.ok(chat >= 4 + 4 && chat < 20);
    assert.equal(estimatePromptTokens('embeddings', { model: 'm', input: [[1, 2, 3], [4]] }), 4);
    assert.ok(estimatePromptTokens('completions', { model: 'm', prompt: 'a b c' }) >= 3);
  });

  it('reserves max_completion_tokens or max_tokens (times n), else the default, capped by the model maximum', () => {
    assert.equal(requestedOutputTokens('chat', { model: 'm', messages: [], max_completion_tokens: 300, max_tokens: 5 }, 1024), 300);
    assert.equal(requestedOutputTokens('chat', { model: 'm', messages: [], max_tokens: 50, n: 2 }, 1024), 100);
    assert.equal(requestedOutputTokens('chat', { model: 'm', messages: [] }, 1024), 1024);
    assert.equal(requestedOutputTokens('chat', { model: 'm', messages: [] }, 1024, 512), 512);
    assert.equal(requestedOutputTokens('embeddings', { model: 'm', input: 'x' }, 1024), 0);
  });
});
