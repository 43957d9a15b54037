import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claudeRefusesTemperatureWithTopP, claudeRejectsSampling, claudeThinkingStyle, claudeVersionOf } from '../../src/providers/claude-model-family.ts';
import { claudeThinkingFor, thinkingBudgetWithin } from '../../src/providers/claude-thinking-budgets.ts';

describe('claudeThinkingStyle: one answer for every spelling of a model id', () => {
  const table: Array<[string, 'adaptive-only' | 'adaptive' | 'budget']> = [
    // Anthropic's API
    ['claude-opus-4-7', 'adaptive-only'],
    ['claude-opus-4-8', 'adaptive-only'],
    ['claude-opus-4-8-20260601', 'adaptive-only'],
    ['claude-sonnet-5', 'adaptive-only'],
    ['claude-opus-5', 'adaptive-only'],
    ['claude-haiku-5-1', 'adaptive-only'],
    ['claude-mythos-preview', 'adaptive-only'],
    ['claude-mythos-5', 'adaptive-only'],
    ['claude-fable-5-1', 'adaptive-only'],
    ['claude-opus-6', 'adaptive-only'],
    ['claude-opus-4-6', 'adaptive'],
    ['claude-sonnet-4-6', 'adaptive'],
    ['claude-sonnet-4-5', 'budget'],
    ['claude-sonnet-4-5-20250929', 'budget'],
    ['claude-opus-4-1-20250805', 'budget'],
    ['claude-opus-4-20250514', 'budget'],
    ['claude-haiku-4-5', 'budget'],
    ['claude-3-7-sonnet-latest', 'budget'],
    ['claude-3-5-haiku-20241022', 'budget'],
    // Bedrock: model ids, inference profiles, ARNs
    ['anthropic.claude-opus-4-7', 'adaptive-only'],
    ['us.anthropic.claude-opus-4-8-v1:0', 'adaptive-only'],
    ['global.anthropic.claude-sonnet-5-v1:0', 'adaptive-only'],
    ['anthropic.claude-opus-4-6-v1', 'adaptive'],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'budget'],
    ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-7', 'adaptive-only'],
    ['anthropic.claude-v2:1', 'budget'],
    // Vertex AI
    ['claude-opus-4-7@20260416', 'adaptive-only'],
    ['claude-sonnet-4-6@20260101', 'adaptive'],
    ['claude-sonnet-4-5@20250929', 'budget'],
    // Dotted names and case
    ['claude-opus-4.7', 'adaptive-only'],
    ['Claude-Sonnet-4.6', 'adaptive'],
    // Not Claude
    ['gpt-4o', 'budget'],
  ];
  for (const [model, style] of table) {
    it(`${model} -> ${style}`, () => assert.equal(claudeThinkingStyle(model), style));
  }

  it('reads family and version apart from dates and suffixes', () => {
    assert.deepEqual(claudeVersionOf('us.anthropic.claude-opus-4-8-v1:0'), { family: 'opus', major: 4, minor: 8 });
    assert.deepEqual(claudeVersionOf('claude-3-7-sonnet-20250219'), { family: 'sonnet', major: 3, minor: 7 });
    assert.deepEqual(claudeVersionOf('claude-opus-4-20250514'), { family: 'opus', major: 4, minor: 0 });
    assert.equal(claudeVersionOf('llama-3'), null);
  });

  it('only the adaptive-only models refuse sampling parameters', () => {
    assert.equal(claudeRejectsSampling('claude-opus-4-7'), true);
    assert.equal(claudeRejectsSampling('claude-sonnet-5'), true);
    assert.equal(claudeRejectsSampling('claude-opus-4-6'), false);
    assert.equal(claudeRejectsSampling('claude-sonnet-4-5'), false);
  });

  it('Opus 4.1 to the 4.6 models take temperature or top_p, not both; older models take both, Opus 4.7+ neither', () => {
    const table: Array<[string, boolean]> = [
      ['claude-sonnet-4-5', true],
      ['claude-sonnet-4-5-20250929', true],
      ['claude-haiku-4-5-20251001', true],
      ['claude-opus-4-1-20250805', true],
      ['claude-opus-4-5-20251101', true],
      ['claude-opus-4-6', true],
      ['claude-sonnet-4-6', true],
      ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', true],
      ['anthropic.claude-haiku-4-5-20251001-v1:0', true],
      ['claude-sonnet-4-5@20250929', true],
      ['claude-opus-4.1', true],
      // Opus 4 and Sonnet 4 (May 2025) and Claude 3 take both.
      ['claude-opus-4-20250514', false],
      ['claude-sonnet-4-20250514', false],
      ['anthropic.claude-sonnet-4-20250514-v1:0', false],
      ['claude-3-7-sonnet-latest', false],
      ['claude-3-5-haiku-20241022', false],
      // Opus 4.7 and later refuse all sampling parameters (claudeRejectsSampling), so the pair never goes.
      ['claude-opus-4-7', false],
      ['claude-sonnet-5', false],
      ['gpt-4o', false],
    ];
    for (const [model, refuses] of table) assert.equal(claudeRefusesTemperatureWithTopP(model), refuses, model);
  });
});

describe('claudeThinkingFor: reasoning_effort per model', () => {
  it('adaptive models get the closest effort; xhigh only where it exists', () => {
    const efforts = (model: string) => ['minimal', 'low', 'medium', 'high', 'xhigh', 'max'].map((effort) => {
      const thinking = claudeThinkingFor(model, effort);
      return thinking?.type === 'adaptive' ? thinking.effort : thinking;
    });
    assert.deepEqual(efforts('claude-opus-4-8'), ['low', 'low', 'medium', 'high', 'xhigh', 'max']);
    assert.deepEqual(efforts('claude-opus-4-6'), ['low', 'low', 'medium', 'high', 'high', 'max']);
  });

  it('older models keep their budgets; none, no effort or an unknown one ask for no thinking', () => {
    assert.deepEqual(claudeThinkingFor('claude-sonnet-4-5', 'low'), { type: 'enabled', budgetTokens: 1024 });
    assert.deepEqual(claudeThinkingFor('claude-sonnet-4-5', 'high'), { type: 'enabled', budgetTokens: 16384 });
    assert.deepEqual(claudeThinkingFor('claude-sonnet-4-5', 'xhigh'), { type: 'enabled', budgetTokens: 16384 });
    assert.equal(claudeThinkingFor('claude-sonnet-4-5', 'minimal'), undefined);
    for (const model of ['claude-sonnet-4-5', 'claude-opus-4-7']) {
      assert.equal(claudeThinkingFor(model, 'none'), undefined, model);
      assert.equal(claudeThinkingFor(model, undefined), undefined, model);
      assert.equal(claudeThinkingFor(model, null), undefined, model);
      assert.equal(claudeThinkingFor(model, 'extreme'), undefined, model);
    }
  });
});

describe('thinkingBudgetWithin: a budget inside the client output limit', () => {
  it('at most half of the limit, the whole budget without one; none below the 1024 minimum', () => {
    assert.equal(thinkingBudgetWithin(16384, undefined), 16384);
    assert.equal(thinkingBudgetWithin(16384, 10000), 5000);
    assert.equal(thinkingBudgetWithin(4096, 40000), 4096);
    assert.equal(thinkingBudgetWithin(1024, 2048), 1024);
    assert.equal(thinkingBudgetWithin(16384, 2047), undefined);
  });
});
