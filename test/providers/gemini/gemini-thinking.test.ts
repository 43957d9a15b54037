import { test } from 'node:test';
import assert from 'node:assert/strict';
import { geminiThinkingConfig } from '../../../src/providers/gemini/gemini-thinking.ts';

/** Every reasoning_effort the openai SDK's ReasoningEffort type has, least first. */
const efforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
const levelRank = ['minimal', 'low', 'medium', 'high'];

test('Gemini 2.5: none turns thinking off where the model allows it (Flash), else its least (Pro)', () => {
  assert.deepEqual(geminiThinkingConfig('none', 'gemini-2.5-flash'), { thinkingBudget: 0 });
  assert.deepEqual(geminiThinkingConfig('none', 'gemini-2.5-flash-lite'), { thinkingBudget: 0 });
  assert.deepEqual(geminiThinkingConfig('none', 'gemini-2.5-pro'), { thinkingBudget: 128 });
  assert.deepEqual(geminiThinkingConfig('minimal', 'gemini-2.5-pro'), { includeThoughts: true, thinkingBudget: 128 });
  assert.deepEqual(geminiThinkingConfig('high', 'gemini-2.5-flash'), { includeThoughts: true, thinkingBudget: 24576 });
  assert.deepEqual(geminiThinkingConfig('max', 'gemini-2.5-pro'), { includeThoughts: true, thinkingBudget: 32768 });
  assert.deepEqual(geminiThinkingConfig('xhigh', 'gemini-2.5-flash'), { includeThoughts: true, thinkingBudget: 24576 });
  assert.equal(geminiThinkingConfig(undefined, 'gemini-2.5-flash'), undefined);
});

test('Gemini 3: none is the least level the model has; each model gets only levels it takes', () => {
  assert.deepEqual(geminiThinkingConfig('none', 'gemini-3-flash-preview'), { thinkingLevel: 'minimal' });
  assert.deepEqual(geminiThinkingConfig('none', 'gemini-3-pro-preview'), { thinkingLevel: 'low' });
  assert.deepEqual(geminiThinkingConfig('none', 'gemini-3.1-pro-preview'), { thinkingLevel: 'low' });
  assert.deepEqual(geminiThinkingConfig('medium', 'gemini-3-pro-preview'), { includeThoughts: true, thinkingLevel: 'high' });
  assert.deepEqual(geminiThinkingConfig('medium', 'gemini-3.1-pro-preview'), { includeThoughts: true, thinkingLevel: 'medium' });
  assert.deepEqual(geminiThinkingConfig('medium', 'gemini-3-flash-preview'), { includeThoughts: true, thinkingLevel: 'medium' });
  assert.deepEqual(geminiThinkingConfig('max', 'gemini-3-pro-preview'), { includeThoughts: true, thinkingLevel: 'high' });
});

test('thinking only rises with the effort, on every model family', () => {
  for (const model of ['gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-2.5-pro', 'gemini-3-pro-preview', 'gemini-3.1-pro-preview', 'gemini-3-flash-preview']) {
    const amounts = efforts.map((effort) => {
      const config = geminiThinkingConfig(effort, model)!;
      return config.thinkingLevel !== undefined ? levelRank.indexOf(config.thinkingLevel) : config.thinkingBudget!;
    });
    for (let index = 1; index < amounts.length; index++) assert.ok(amounts[index] >= amounts[index - 1], `${model}: ${efforts[index]} (${amounts[index]}) < ${efforts[index - 1]} (${amounts[index - 1]})`);
    assert.ok(amounts.every((amount) => amount >= 0), model);
  }
});

test("an effort's budget stays below maxOutputTokens as an exact budget does: half of the limit, within the model's range (providers2 audit)", () => {
  assert.deepEqual(geminiThinkingConfig('high', 'gemini-2.5-flash', { maxOutputTokens: 1000 }), { includeThoughts: true, thinkingBudget: 500 });
  assert.deepEqual(geminiThinkingConfig('low', 'gemini-2.5-flash', { maxOutputTokens: 1000 }), { includeThoughts: true, thinkingBudget: 500 });
  assert.deepEqual(geminiThinkingConfig('low', 'gemini-2.5-flash', { maxOutputTokens: 4000 }), { includeThoughts: true, thinkingBudget: 1024 });
  assert.deepEqual(geminiThinkingConfig('high', 'gemini-2.5-pro', { maxOutputTokens: 100 }), { includeThoughts: true, thinkingBudget: 128 });
  assert.deepEqual(geminiThinkingConfig('none', 'gemini-2.5-flash', { maxOutputTokens: 100 }), { thinkingBudget: 0 });
  assert.deepEqual(geminiThinkingConfig('high', 'gemini-2.5-flash'), { includeThoughts: true, thinkingBudget: 24576 });
});
