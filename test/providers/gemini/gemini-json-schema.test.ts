import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declaresNoParameters, toGeminiJsonSchema, toGeminiParameters } from '../../../src/providers/gemini/gemini-json-schema.ts';

test('free-form objects, maps, $refs and type lists go up as JSON Schema, as the client wrote them', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    $defs: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
    properties: {
      metadata: { type: 'object' },
      headers: { type: 'object', additionalProperties: { type: 'string' } },
      anything: { type: 'object', additionalProperties: true },
      list: { type: 'array', items: { type: 'object', properties: {} } },
      where: { anyOf: [{ $ref: '#/$defs/Point' }, { type: 'null' }] },
      maybe: { type: ['string', 'null'] },
    },
    required: ['metadata'],
  };
  assert.deepEqual(toGeminiJsonSchema(schema), schema);
});

test('const becomes a one-value enum at any depth; $schema is left out; a property named const is kept', () => {
  assert.deepEqual(
    toGeminiJsonSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        kind: { const: 'circle' },
        const: { type: 'string' },
        shape: { oneOf: [{ type: 'object', properties: { tag: { const: 'a' } } }, { type: 'object', properties: { tag: { type: 'string', const: 'b', enum: ['b'] } } }] },
        items: { type: 'array', items: { const: 1 } },
      },
    }),
    {
      type: 'object',
      properties: {
        kind: { enum: ['circle'] },
        const: { type: 'string' },
        shape: { oneOf: [{ type: 'object', properties: { tag: { enum: ['a'] } } }, { type: 'object', properties: { tag: { type: 'string', enum: ['b'] } } }] },
        items: { type: 'array', items: { enum: [1] } },
      },
    },
  );
  assert.equal(toGeminiJsonSchema('nope'), undefined);
});

test('parameters without a type are an object (Google requires one at the top)', () => {
  assert.deepEqual(toGeminiParameters({ properties: { a: { type: 'string' } } }), { type: 'object', properties: { a: { type: 'string' } } });
  assert.deepEqual(toGeminiParameters({ anyOf: [{ type: 'object' }] }), { anyOf: [{ type: 'object' }] });
});

test('a function that takes no argument is recognised; a free-form one is not', () => {
  assert.equal(declaresNoParameters(undefined), true);
  assert.equal(declaresNoParameters({ type: 'object' }), true);
  assert.equal(declaresNoParameters({ type: 'object', properties: {}, additionalProperties: false, required: [] }), true);
  assert.equal(declaresNoParameters({ $schema: 'x', type: 'object', properties: {} }), true);
  assert.equal(declaresNoParameters({ type: 'object', additionalProperties: true }), false);
  assert.equal(declaresNoParameters({ type: 'object', additionalProperties: { type: 'string' } }), false);
  assert.equal(declaresNoParameters({ type: 'object', properties: { a: { type: 'string' } } }), false);
});
