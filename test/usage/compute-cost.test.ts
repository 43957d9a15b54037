import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { billedTokens } from '../../src/canonical/chat.ts';
import { costOfTokens, costOfUsage, formatUsd, priceForTier, roundUsd } from '../../src/usage/compute-cost.ts';
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

  it('bills 1-hour cache writes at cache_write_1h, else twice the input price; the other writes at cache_write', () => {
    const usage = { prompt_tokens: 3500, completion_tokens: 250, total_tokens: 3750, prompt_tokens_details: { cached_tokens: 2000 }, cache_creation_tokens: 1000, cache_creation_1h_tokens: 600 };
    close(costOfUsage({ ...price, cache_write_1h: 6 }, usage), (500 * 3 + 2000 * 0.3 + 400 * 3.75 + 600 * 6 + 250 * 15) / 1e6);
    close(costOfUsage(price, usage), (500 * 3 + 2000 * 0.3 + 400 * 3.75 + 600 * 6 + 250 * 15) / 1e6);
    close(costOfUsage({ input: 1, output: 1 }, { ...usage, cache_creation_1h_tokens: 5000 }), (500 + 2000 + 1000 * 2 + 250) / 1e6);
  });

  it('bills image input tokens (inside prompt_tokens) at image_input, else at the input price', () => {
    const usage = { prompt_tokens: 200, completion_tokens: 100, total_tokens: 300, prompt_tokens_details: { image_tokens: 180 } };
    close(costOfUsage({ input: 5, output: 40, image_input: 10 }, usage), (20 * 5 + 180 * 10 + 100 * 40) / 1e6);
    close(costOfUsage({ input: 5, output: 40 }, usage), (200 * 5 + 100 * 40) / 1e6);
    // Never more image tokens than the prompt holds.
    close(costOfUsage({ input: 5, output: 0, image_input: 10 }, { ...usage, prompt_tokens_details: { image_tokens: 500 } }), (200 * 10) / 1e6);
  });

  it('bills audio tokens (inside prompt_tokens and completion_tokens) at audio_input and audio_output, else at the text prices', () => {
    // gpt-audio: text $2.50 / $10, audio $32 / $64 (audit openai2, finding 1).
    const gptAudio = { input: 2.5, output: 10, audio_input: 32, audio_output: 64 };
    const usage = { prompt_tokens: 1200, completion_tokens: 127, total_tokens: 1327, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 300 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 120 } };
    close(costOfUsage(gptAudio, usage), (900 * 2.5 + 300 * 32 + 7 * 10 + 120 * 64) / 1e6);
    close(costOfUsage({ input: 2.5, output: 10 }, usage), (1200 * 2.5 + 127 * 10) / 1e6);
    // Cached tokens keep the cached price; never more audio than the uncached prompt or the completion holds.
    close(costOfUsage({ ...gptAudio, cached_input: 1 }, { ...usage, prompt_tokens_details: { cached_tokens: 1000, audio_tokens: 300 } }), (1000 * 1 + 200 * 32 + 7 * 10 + 120 * 64) / 1e6);
    close(costOfUsage(gptAudio, { ...usage, completion_tokens_details: { audio_tokens: 500 } }), (900 * 2.5 + 300 * 32 + 127 * 64) / 1e6);
  });

  it("prices a service tier's tokens at that tier's prices, the others at the standard ones", () => {
    const tiered = { ...price, service_tiers: { flex: { input: 1.5, output: 7.5, cached_input: 0.15 } } };
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 };
    close(costOfUsage(tiered, { ...usage, service_tier: 'flex' }), 9);
    close(costOfUsage(tiered, usage, 'flex'), 9);
    close(costOfUsage(tiered, usage, 'priority'), 18);
    assert.deepEqual(priceForTier(tiered, 'default'), tiered);
  });

  it("prices the provider's billed tokens when the usage carries them", () => {
    const usage = { prompt_tokens: 800, completion_tokens: 120, total_tokens: 920, [billedTokens]: { prompt_tokens: 780, completion_tokens: 120 } };
    close(costOfUsage({ input: 2.5, output: 10 }, usage), 0.00315);
  });

  it('rounds a cost as the header prints it', () => {
    assert.equal(roundUsd((1 * 0.15 + 2 * 0.6) / 1e6), 0.00000135);
    assert.equal(formatUsd(roundUsd(1.0000000000000001e-7)), '0.0000001');
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
