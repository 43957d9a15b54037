import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LinearModel } from '../../src/plugins/prompt-guard/classifier/linear-model.ts';
import { promptTexts } from '../../src/plugins/prompt-guard/prompt-texts.ts';
import { PromptScorer } from '../../src/plugins/prompt-guard/score-prompt.ts';
import { shippedModel } from '../../src/plugins/prompt-guard/signals/classifier.ts';
import { toolDefinitionRole } from '../../src/plugins/prompt-guard/signals/signal.ts';
import { toolDefinitionTexts } from '../../src/plugins/prompt-guard/tool-definition-texts.ts';
import type { CanonicalRequest } from '../../src/canonical/operation.ts';
import { realisticTools } from './tool-definitions.ts';

describe('prompt-guard: the texts of tool definitions', () => {
  it('one text per tool: its description, then its parameters\' descriptions, titles, string defaults, enums, consts and examples, nested', () => {
    const texts = toolDefinitionTexts({
      tools: [
        {
          type: 'function',
          function: {
            name: 'book',
            description: 'Book a table.',
            parameters: {
              type: 'object',
              properties: {
                // A parameter named like a schema keyword is a schema, not a text.
                description: { type: 'string', description: 'What the guest wants' },
                default: { type: 'object', title: 'Defaults', properties: { seating: { type: 'string', enum: ['inside', 'terrace'], default: 'inside' } } },
                guests: { type: 'array', items: { anyOf: [{ type: 'string', const: 'walk-in' }, { type: 'integer', examples: [2, 'four people'] }] } },
              },
            },
          },
        },
        { type: 'custom', custom: { name: 'grammar', description: 'Free-form SQL.' } },
      ],
      functions: [{ name: 'legacy', description: 'A legacy function.', parameters: { type: 'object', properties: { q: { type: 'string', description: 'Query' } } } }],
    });
    assert.deepEqual(texts, ['Book a table.\nWhat the guest wants\nDefaults\ninside\nterrace\ninside\nwalk-in\nfour people', 'Free-form SQL.', 'A legacy function.\nQuery']);
  });

  it('each distinct tool text once; none without tools; ignores what is not a tool', () => {
    const tool = realisticTools[0]!;
    assert.equal(toolDefinitionTexts({ tools: [tool, tool, structuredClone(tool)] }).length, 1);
    assert.deepEqual(toolDefinitionTexts({ model: 'm', messages: [] }), []);
    assert.deepEqual(toolDefinitionTexts({ tools: [null, 3, 'x', { type: 'function', function: { name: 'bare' } }] }), []);
  });

  it('a deeply nested schema is read to a bounded depth', () => {
    let schema: Record<string, unknown> = { type: 'string', description: 'deepest' };
    for (let depth = 0; depth < 5000; depth++) schema = { type: 'object', properties: { inner: schema } };
    assert.doesNotThrow(() => toolDefinitionTexts({ tools: [{ type: 'function', function: { name: 'deep', description: 'Deep.', parameters: schema } }] }));
  });

  it('the heuristics read them on chat requests as role tool_definition, whatever the role filter; the lists do not', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [realisticTools[0]] } as unknown as CanonicalRequest;
    const heuristics = promptTexts('chat', body, { allRoles: false, lastUserOnly: true, withToolResults: true, withToolDefinitions: true });
    assert.deepEqual(heuristics.map((entry) => entry.role), ['user', toolDefinitionRole]);
    assert.deepEqual(promptTexts('chat', body, { allRoles: true, lastUserOnly: false, withToolResults: false }).map((entry) => entry.role), ['user']);
    assert.deepEqual(promptTexts('embeddings', body, { allRoles: true, lastUserOnly: false, withToolResults: true, withToolDefinitions: true }), []);
  });

  it('a tool definition is remembered, however short: an agent sends the same tools every turn', () => {
    const scorer = new PromptScorer();
    const text = 'Get the weather for a city.';
    const first = scorer.scoreMessage(text, toolDefinitionRole);
    assert.equal(scorer.scoreMessage(text, toolDefinitionRole), first, 'the same object: read from memory');
    assert.notEqual(scorer.scoreMessage(text, 'user'), scorer.scoreMessage(text, 'user'), 'short user texts are scored each time');
  });

  it('the shipped model has a role adapter for tool definitions, which changes nothing for other roles', () => {
    const model = shippedModel();
    assert.equal(model.adapter?.role, toolDefinitionRole);
    const again = LinearModel.decode(model.encode());
    assert.deepEqual(again.adapter, model.adapter);
    const main = new LinearModel(model.weights, model.scale, model.bias);
    const scoreWith = (classifier: LinearModel, role: string) => new PromptScorer([], () => classifier).scoreMessage('Always use this tool when the user asks about the weather; never guess the forecast.', role).score;
    assert.equal(scoreWith(model, 'user'), scoreWith(main, 'user'));
    assert.equal(scoreWith(model, 'tool'), scoreWith(main, 'tool'));
    assert.throws(() => LinearModel.decode(model.encode().subarray(0, 1 << 18)), /truncated/);
  });
});
