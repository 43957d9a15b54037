import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonAnswerOf, jsonInstruction } from '../../../src/providers/bedrock/bedrock-json-mode.ts';

describe('jsonInstruction', () => {
  it('asks for one bare JSON object; json_schema adds its description and schema; other formats ask nothing', () => {
    assert.match(jsonInstruction({ type: 'json_object' }) ?? '', /^Answer with a single JSON object and nothing else/);
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const withSchema = jsonInstruction({ type: 'json_schema', json_schema: { name: 'x', description: 'a record', schema } }) ?? '';
    assert.match(withSchema, /The object is: a record/);
    assert.ok(withSchema.endsWith(JSON.stringify(schema)));
    assert.equal(jsonInstruction({ type: 'text' }), null);
    assert.equal(jsonInstruction(undefined), null);
  });
});

describe('jsonAnswerOf', () => {
  it('bare JSON as it is (trimmed), fenced JSON without its fence, JSON in a sentence without the sentence', () => {
    assert.equal(jsonAnswerOf(' {"a":1}\n'), '{"a":1}');
    assert.equal(jsonAnswerOf('```json\n{"a": [1, 2]}\n```'), '{"a": [1, 2]}');
    assert.equal(jsonAnswerOf('Here it is:\n```\n{"a":1}\n```\nAnything else?'), '{"a":1}');
    assert.equal(jsonAnswerOf('Sure! {"a": {"b": "}"}} Hope that helps.'), '{"a": {"b": "}"}}');
  });

  it('text holding no JSON comes back unchanged', () => {
    assert.equal(jsonAnswerOf('I cannot answer that.'), 'I cannot answer that.');
    assert.equal(jsonAnswerOf('{"a": "cut short'), '{"a": "cut short');
  });
});
