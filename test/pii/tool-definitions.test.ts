import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { ChatRequest, FunctionTool } from '../../src/canonical/chat.ts';
import { jsonSchemaTexts, rewriteJsonSchemaTexts } from '../../src/canonical/json-schema-texts.ts';
import { rewriteResponseFormatTexts } from '../../src/canonical/response-format-texts.ts';
import { rewriteToolDefinitionTexts, toolDefinitionTexts } from '../../src/canonical/tool-definition-texts.ts';
import { CleanTexts } from '../../src/plugins/pii/clean-texts.ts';
import { createPiiPlugin } from '../../src/plugins/pii/index.ts';
import { MaskVault } from '../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema } from '../../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../../src/plugins/pii/pii-pass.ts';
import { rewriteRequestDefinitions } from '../../src/plugins/pii/request-definitions.ts';
import type { RequestContext } from '../../src/pipeline/context.ts';
import { scanner } from '../plugins/pii/pii-helpers.ts';
import { realisticTools } from './tool-definitions-fixtures.ts';

const email = 'jane.roe@example.com';
const upper = (text: string): string => (text.includes('@') ? text.toUpperCase() : text);

function onRequest(config: Record<string, unknown>, body: ChatRequest, plugin = createPiiPlugin(piiConfigSchema.parse(config), { logger: pino({ level: 'silent' }) } as never)): RequestContext {
  const ctx = { id: 'r', operation: 'chat', body, state: new Map(), bodyChanged: false } as unknown as RequestContext;
  plugin.onRequest!(ctx);
  return ctx;
}

describe('rewriteJsonSchemaTexts: the texts of a schema a guardrail may change', () => {
  it('rewrites prose and values; keeps names, keys inside values and structural keywords', () => {
    const schema = {
      type: 'object',
      title: `Contact ${email}`,
      $comment: email,
      properties: {
        [email]: { type: 'string', description: email, default: email, examples: [email, { [email]: email }], const: email, pattern: `^${email}$`, format: 'email', 'x-hint': email, example: email },
      },
      required: [email],
      $defs: { [email]: { anyOf: [{ description: email }, { enum: [email, 1] }] } },
      items: [{ description: email }],
    };
    const before = structuredClone(schema);
    const rewritten = rewriteJsonSchemaTexts(schema, upper);
    const EMAIL = email.toUpperCase();
    assert.deepEqual(rewritten, {
      type: 'object',
      title: `CONTACT ${EMAIL}`,
      $comment: EMAIL,
      properties: {
        [email]: { type: 'string', description: EMAIL, default: EMAIL, examples: [EMAIL, { [email]: EMAIL }], const: EMAIL, pattern: `^${email}$`, format: 'email', 'x-hint': EMAIL, example: EMAIL },
      },
      required: [email],
      $defs: { [email]: { anyOf: [{ description: EMAIL }, { enum: [EMAIL, 1] }] } },
      items: [{ description: EMAIL }],
    });
    assert.deepEqual(schema, before, 'the client’s schema is not edited');
  });

  it('returns the schema itself when nothing changes, and shares what did not change', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', description: 'A.' }, b: { type: 'string', description: email } } };
    assert.equal(rewriteJsonSchemaTexts(schema, (text) => text), schema);
    const rewritten = rewriteJsonSchemaTexts(schema, upper);
    assert.notEqual(rewritten, schema);
    assert.equal(rewritten.properties.a, schema.properties.a);
    assert.notEqual(rewritten.properties.b, schema.properties.b);
  });

  it('texts come in document order; an enum’s values rewritten alike become one', () => {
    const seen: string[] = [];
    const schema = { description: 'one', properties: { x: { description: 'two', enum: ['a@example.com', 'b@example.com', 'none'] } }, title: 'three' };
    const rewritten = rewriteJsonSchemaTexts(schema, (text) => (seen.push(text), text.includes('@') ? '[EMAIL]' : text));
    assert.deepEqual(seen, ['one', 'two', 'a@example.com', 'b@example.com', 'none', 'three']);
    assert.deepEqual(rewritten.properties.x.enum, ['[EMAIL]', 'none']);
  });

  it('walks a schema nested 20,000 deep without recursion', () => {
    let schema: Record<string, unknown> = { type: 'string', description: email };
    for (let depth = 0; depth < 20_000; depth++) schema = { type: 'object', properties: { next: schema } };
    let rewritten = rewriteJsonSchemaTexts(schema, upper) as Record<string, unknown>;
    for (let depth = 0; depth < 20_000; depth++) rewritten = (rewritten.properties as { next: Record<string, unknown> }).next;
    assert.equal(rewritten.description, email.toUpperCase());
  });

  it('content-rules’ readers still read names and every string', () => {
    const tool: FunctionTool = { type: 'function', function: { name: 'lookup', description: 'Looks up.', parameters: { type: 'object', properties: { code: { type: 'string', enum: ['a'] } } } } };
    assert.deepEqual(toolDefinitionTexts(tool), ['lookup', 'Looks up.', 'object', 'code', 'string', 'a']);
    assert.deepEqual(jsonSchemaTexts({ pattern: 'x', properties: { p: { title: 't' } } }), ['x', 'p', 't']);
  });
});

describe('rewriteToolDefinitionTexts / rewriteResponseFormatTexts', () => {
  it('rewrite the description and the schema, never the name, into new objects', () => {
    const parameters = { type: 'object', properties: { to: { type: 'string', default: email } } };
    const fn = { name: 'send', description: `Mail ${email}.`, parameters };
    const tool: FunctionTool = { type: 'function', function: fn };
    assert.equal(rewriteToolDefinitionTexts(tool, (text) => text), false);
    assert.equal(tool.function, fn);
    assert.equal(rewriteToolDefinitionTexts(tool, upper), true);
    assert.deepEqual(tool.function, { name: 'send', description: `MAIL ${email.toUpperCase()}.`, parameters: { type: 'object', properties: { to: { type: 'string', default: email.toUpperCase() } } } });
    assert.equal(fn.description, `Mail ${email}.`);
    assert.equal(parameters.properties.to.default, email);
    // A tool without a description gets none.
    const bare: FunctionTool = { type: 'function', function: { name: 'x', parameters: { type: 'object', properties: { y: { type: 'string', description: email } } } } };
    rewriteToolDefinitionTexts(bare, upper);
    assert.ok(!('description' in bare.function));
    assert.equal(rewriteToolDefinitionTexts(null as never, upper), false);
  });

  it('a response format: description and schema, not the name; text and json_object untouched', () => {
    const request: Pick<ChatRequest, 'response_format'> = { response_format: { type: 'json_schema', json_schema: { name: email, description: email, schema: { type: 'object', properties: { a: { type: 'string', description: email } } } } } };
    assert.equal(rewriteResponseFormatTexts(request, upper), true);
    assert.deepEqual(request.response_format, { type: 'json_schema', json_schema: { name: email, description: email.toUpperCase(), schema: { type: 'object', properties: { a: { type: 'string', description: email.toUpperCase() } } } } });
    assert.equal(rewriteResponseFormatTexts({ response_format: { type: 'json_object' } }, upper), false);
    assert.equal(rewriteResponseFormatTexts({}, upper), false);
  });
});

describe('pii: the definition texts of a request', () => {
  it('each distinct text is rewritten once, apart from the others', () => {
    const seen: string[] = [];
    const request: ChatRequest = { model: 'm', messages: [], tools: structuredClone(realisticTools) };
    assert.equal(rewriteRequestDefinitions(request, (text) => (seen.push(text), text)), false);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length > 150 && seen.length < 200, String(seen.length));
    assert.ok(!seen.includes('send_receipt') && !seen.includes('customer_id') && !seen.includes('string'), 'names and types are not texts');
  });

  it('a realistic agent’s 30 tools have nothing to find, and the request is left as it was', () => {
    const body: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'Where is my order?' }], tools: structuredClone(realisticTools) };
    const ctx = onRequest({ request: 'redact' }, body);
    assert.equal(ctx.bodyChanged, false);
    assert.deepEqual(body.tools, realisticTools);
  });

  it('texts found clean are not scanned again; texts with a value always are', () => {
    const counted = scanner();
    let scans = 0;
    const scan = counted.scan.bind(counted);
    counted.scan = (text, from, scope) => (scans++, scan(text, from, scope));
    const clean = new CleanTexts(1024);
    const pass = (): PiiPass => new PiiPass(counted, () => 'redact', new MaskVault());
    assert.equal(pass().applyRepeated('The ticket number.', clean), 'The ticket number.');
    assert.equal(pass().applyRepeated('The ticket number.', clean), 'The ticket number.');
    assert.equal(scans, 1);
    assert.equal(pass().applyRepeated(`Mail ${email}.`, clean), 'Mail [EMAIL].');
    assert.equal(pass().applyRepeated(`Mail ${email}.`, clean), 'Mail [EMAIL].');
    assert.equal(scans, 3);
  });

  it('the clean texts kept are bounded by their length, the oldest let go first', () => {
    // 224 characters: 16 of the 14-character texts, none longer than 14 kept.
    const clean = new CleanTexts(224);
    for (let index = 0; index < 20; index++) clean.add(`text number ${String(index).padStart(2, '0')}`);
    assert.ok(!clean.has('text number 00') && !clean.has('text number 03'));
    assert.ok(clean.has('text number 19'));
    assert.ok(clean.has('text number 04'));
    clean.add('x'.repeat(15));
    assert.ok(!clean.has('x'.repeat(15)), 'a text over a sixteenth of the budget is not kept');
  });

  it('a definition text is one of its own: not joined with the next one nor with the messages', () => {
    const body: ChatRequest = {
      model: 'm',
      messages: [{ role: 'user', content: 'Card 4111 1111' }],
      tools: [{ type: 'function', function: { name: 'pay', description: '1111 1111 is the default.', parameters: { type: 'object', properties: { a: { type: 'string', description: 'card 4539 5787' }, b: { type: 'string', description: '6362 1486' } } } } }],
    };
    assert.equal(onRequest({ request: 'block' }, body).bodyChanged, false);
  });

  it('mask: a placeholder-shaped text in a definition is never handed out for a value', () => {
    const body: ChatRequest = {
      model: 'm',
      messages: [{ role: 'user', content: `Write to ${email}.` }],
      tools: [{ type: 'function', function: { name: 'mail', description: 'Sends to <EMAIL_1>, the address the user gave.' } }],
    };
    onRequest({ request: 'mask' }, body);
    assert.equal(body.messages[0].content, 'Write to <EMAIL_2>.');
    assert.equal(body.tools![0].function.description, 'Sends to <EMAIL_1>, the address the user gave.');
  });

  it('the same value in a message and in a definition gets the same placeholder', () => {
    const body: ChatRequest = {
      model: 'm',
      messages: [{ role: 'user', content: `I am ${email}.` }],
      tools: [{ type: 'function', function: { name: 'mail', parameters: { type: 'object', properties: { to: { type: 'string', enum: [email, 'ops@example.org'] } } } } }],
    };
    const ctx = onRequest({ request: 'mask' }, body);
    assert.equal(ctx.bodyChanged, true);
    assert.equal(body.messages[0].content, 'I am <EMAIL_1>.');
    assert.deepEqual((body.tools![0].function.parameters as { properties: { to: { enum: string[] } } }).properties.to.enum, ['<EMAIL_1>', '<EMAIL_2>']);
  });

  it('log-only counts a value in a definition and changes nothing', () => {
    const body: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'mail', description: `Mail ${email}.` } }] };
    const ctx = onRequest({ request: 'log-only' }, body);
    assert.equal(ctx.bodyChanged, false);
    assert.equal(body.tools![0].function.description, `Mail ${email}.`);
    assert.deepEqual([...(ctx.state.get('pii') as { request: { found: Map<string, number> } }).request.found], [['EMAIL', 1]]);
  });
});
