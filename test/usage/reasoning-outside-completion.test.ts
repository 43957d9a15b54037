import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Usage } from '../../src/canonical/chat.ts';
import { readOpenAiUsage } from '../../src/formats/openai/read-openai-usage.ts';
import { withReasoningInCompletion } from '../../src/usage/reasoning-outside-completion.ts';

describe('reasoning tokens reported beside completion_tokens (xAI) are read into it', () => {
  const xai: Usage = { prompt_tokens: 100, completion_tokens: 10, total_tokens: 410, completion_tokens_details: { reasoning_tokens: 300 } };

  it('adds the reasoning to completion_tokens when the total is prompt + completion + reasoning, in a copy', () => {
    const read = withReasoningInCompletion(xai);
    assert.deepEqual(read, { ...xai, completion_tokens: 310 });
    assert.equal(xai.completion_tokens, 10, "the answer's own usage (an OpenAI client's bytes) is left as sent");
  });

  it('changes nothing the second time: the corrected total is prompt + completion', () => {
    const once = withReasoningInCompletion(xai);
    assert.equal(withReasoningInCompletion(once), once);
  });

  it("leaves OpenAI's rule (total = prompt + completion), a usage without a total, one that fits neither and one without reasoning as they are", () => {
    const cases: Usage[] = [
      { prompt_tokens: 100, completion_tokens: 310, total_tokens: 410, completion_tokens_details: { reasoning_tokens: 300 } },
      { prompt_tokens: 100, completion_tokens: 10, completion_tokens_details: { reasoning_tokens: 300 } } as unknown as Usage,
      { prompt_tokens: 100, completion_tokens: 10, total_tokens: 999, completion_tokens_details: { reasoning_tokens: 300 } },
      { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110, completion_tokens_details: { reasoning_tokens: 0 } },
      { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
    ];
    for (const usage of cases) assert.equal(withReasoningInCompletion(usage), usage, JSON.stringify(usage));
  });

  it("is applied where OpenAI-format usage is read, beside DeepSeek's cache hits", () => {
    const read = readOpenAiUsage({ ...xai, prompt_cache_hit_tokens: 40 });
    assert.equal(read.completion_tokens, 310);
    assert.equal(read.prompt_tokens_details?.cached_tokens, 40);
  });
});
