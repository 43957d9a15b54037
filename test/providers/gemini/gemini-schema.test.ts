import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isEmptyObjectSchema, toGeminiSchema } from '../../../src/providers/gemini/gemini-schema.ts';

test('keywords Gemini rejects are dropped', () => {
  assert.deepEqual(
    toGeminiSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'x',
      $comment: 'c',
      type: 'object',
      additionalProperties: false,
      unevaluatedProperties: false,
      patternProperties: { '^x': { type: 'string' } },
      properties: {
        count: { type: 'integer', exclusiveMinimum: 0, multipleOf: 2, minimum: 1, maximum: 10, format: 'int32' },
        tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1, maxItems: 3 },
        email: { type: 'string', format: 'email', minLength: 3, maxLength: 99, pattern: '^.+@.+$' },
        when: { type: 'string', format: 'date-time', readOnly: true, deprecated: true },
      },
      required: ['count'],
    }),
    {
      type: 'object',
      properties: {
        count: { type: 'integer', format: 'int32', minimum: 1, maximum: 10 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        email: { type: 'string', minLength: 3, maxLength: 99, pattern: '^.+@.+$' },
        when: { type: 'string', format: 'date-time' },
      },
      required: ['count'],
    },
  );
});

test('local $refs are inlined; nullable unions and oneOf/allOf/const are rewritten', () => {
  const schema = {
    type: 'object',
    $defs: { Color: { type: 'string', enum: ['red', 'green'] }, Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
    properties: {
      color: { $ref: '#/$defs/Color', description: 'The color' },
      where: { anyOf: [{ $ref: '#/$defs/Point' }, { type: 'null' }] },
      kind: { const: 'circle' },
      size: { oneOf: [{ type: 'number' }, { type: 'string' }] },
      both: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } }, required: ['b'] }] },
      level: { type: 'integer', enum: [1, 2, 3] },
      maybe: { type: ['string', 'null'], enum: ['x', null] },
    },
  };
  assert.deepEqual(toGeminiSchema(schema), {
    type: 'object',
    properties: {
      color: { type: 'string', description: 'The color', enum: ['red', 'green'] },
      where: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'], nullable: true },
      kind: { type: 'string', enum: ['circle'] },
      size: { anyOf: [{ type: 'number' }, { type: 'string' }] },
      both: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'boolean' } }, required: ['a', 'b'] },
      level: { type: 'integer', description: 'Allowed values: 1, 2, 3.' },
      maybe: { type: 'string', enum: ['x'], nullable: true },
    },
  });
});

test('a recursive $ref stops at an open object instead of looping', () => {
  const schema = { type: 'object', properties: { node: { $ref: '#' } } };
  const converted = toGeminiSchema(schema);
  assert.equal(converted?.type, 'object');
});

test('empty object schemas are recognised (Gemini rejects them as parameters)', () => {
  assert.equal(isEmptyObjectSchema(toGeminiSchema({ type: 'object', properties: {} })), true);
  assert.equal(isEmptyObjectSchema(undefined), true);
  assert.equal(isEmptyObjectSchema(toGeminiSchema({ type: 'object', properties: { a: { type: 'string' } } })), false);
  assert.equal(toGeminiSchema('nope'), undefined);
});
