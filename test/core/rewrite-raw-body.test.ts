import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { prependTopLevelField, removeTopLevelModel, rewriteTopLevelModel } from '../../src/formats/openai/rewrite-raw-body.ts';
import type { ChatRequest } from '../../src/canonical/chat.ts';

describe('byte-level body edits', () => {
  it('rewrites only the top-level model, wherever it is', () => {
    const body = Buffer.from('{"messages":[{"role":"user","content":"say \\"model\\": \\"x\\"","model":"nested"}], "metadata":{"model":"openai/m"},\n "model" : "openai/m", "n":1}');
    const out = rewriteTopLevelModel(body, 'gpt-4o-mini');
    assert.ok(out);
    const parsed = JSON.parse(out.toString()) as { model: string; metadata: { model: string }; messages: Array<{ model: string }> };
    assert.equal(parsed.model, 'gpt-4o-mini');
    assert.equal(parsed.metadata.model, 'openai/m');
    assert.equal(parsed.messages[0].model, 'nested');
  });

  it('gives up on escaped or non-string values', () => {
    assert.equal(rewriteTopLevelModel(Buffer.from('{"model":"openai\\/m"}'), 'x'), null);
    assert.equal(rewriteTopLevelModel(Buffer.from('{"model":5}'), 'x'), null);
    assert.equal(rewriteTopLevelModel(Buffer.from('{"other":"model"}'), 'x'), null);
  });

  it('gives up on a body with a second "model" after the top-level one (JSON.parse, and so routing, takes the last)', () => {
    assert.equal(rewriteTopLevelModel(Buffer.from('{"model":"up/a","model":"up/b"}'), 'b'), null);
    assert.equal(rewriteTopLevelModel(Buffer.from('{"model":"up/a","tools":[{"a":1}], "model" : "up/b"}'), 'b'), null);
    assert.equal(rewriteTopLevelModel(Buffer.from('{"model":"up/a","tools":[{"model":"x"}]}'), 'a')?.toString(), '{"model":"a","tools":[{"model":"x"}]}', 'nested after it is fine');
    assert.ok(rewriteTopLevelModel(Buffer.from('{"tools":[{"model":"x"}],"model":"up/a"}'), 'a'), 'before it is fine');
  });

  it('removes the top-level model and the comma that joined it, every other byte kept', () => {
    assert.equal(removeTopLevelModel(Buffer.from('{"model":"m","a":12345678901234567891}'))?.toString(), '{"a":12345678901234567891}');
    assert.equal(removeTopLevelModel(Buffer.from('{"a":1.0 ,\n "model" : "m" }'))?.toString(), '{"a":1.0  }');
    assert.equal(removeTopLevelModel(Buffer.from('{"a":1, "model":"m", "b":[{"model":"x"}]}'))?.toString(), '{"a":1, "b":[{"model":"x"}]}');
    assert.equal(removeTopLevelModel(Buffer.from('{ "model":"m" }'))?.toString(), '{  }');
    assert.equal(removeTopLevelModel(Buffer.from('{"a":"model"}')), null);
    assert.equal(removeTopLevelModel(Buffer.from('{"model":"m","model":"n"}')), null);
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.nat(), (rest, original, position) => {
        const entries = Object.entries(rest).filter(([key]) => key !== 'model');
        entries.splice(position % (entries.length + 1), 0, ['model', original]);
        const text = `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;
        const out = removeTopLevelModel(Buffer.from(text));
        if (out === null) return JSON.stringify(original).includes('\\');
        const { model: _model, ...without } = JSON.parse(text) as Record<string, unknown>;
        return JSON.stringify(JSON.parse(out.toString())) === JSON.stringify(without);
      }),
      { numRuns: 500 },
    );
  });

  it('prepends a field', () => {
    assert.deepEqual(JSON.parse(prependTopLevelField(Buffer.from(' {"a":1}'), 'stream_options', { include_usage: true })!.toString()), { stream_options: { include_usage: true }, a: 1 });
    assert.deepEqual(JSON.parse(prependTopLevelField(Buffer.from('{ }'), 'k', 1)!.toString()), { k: 1 });
  });

  it('agrees with parse-and-serialize on any JSON object with a model', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.string(), (rest, original, replacement) => {
        const object = { ...rest, model: original };
        const out = rewriteTopLevelModel(Buffer.from(JSON.stringify(object)), replacement);
        if (out === null) return JSON.stringify(original).includes('\\');
        return JSON.stringify(JSON.parse(out.toString())) === JSON.stringify({ ...object, model: replacement });
      }),
      { numRuns: 500 },
    );
  });
});

describe('requests converted from another client format', () => {
  it('lose the canonical extensions OpenAI-compatible APIs reject; the thinking stays as reasoning_content unless told not to', async () => {
    const { stripCanonicalExtensions } = await import('../../src/providers/openai/strip-canonical-extensions.ts');
    const request: ChatRequest = {
      model: 'm',
      top_k: 5,
      reasoning_budget_tokens: 4000,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } } as never] },
        { role: 'assistant', content: 'ok', reasoning_content: 'thought', reasoning_signature: 'sig' },
        { role: 'tool', tool_call_id: 't1', content: 'Error: down', is_error: true },
      ],
      tools: [{ type: 'function', function: { name: 'f' }, cache_control: { type: 'ephemeral' } } as never],
    } as ChatRequest;
    const expected = (assistant: Record<string, unknown>) => ({
      model: 'm',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }, assistant, { role: 'tool', tool_call_id: 't1', content: 'Error: down' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
    });
    assert.deepEqual(stripCanonicalExtensions(request), expected({ role: 'assistant', content: 'ok', reasoning_content: 'thought' }));
    assert.deepEqual(stripCanonicalExtensions(request, false), expected({ role: 'assistant', content: 'ok' }));
  });

  it('returns edited bodies in memory of their own (an upstream call holds them until its answer is read)', () => {
    const body = Buffer.from('{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}');
    const edits = [rewriteTopLevelModel(body, 'gpt-4o-mini'), prependTopLevelField(body, 'stream_options', { include_usage: true })];
    for (const edited of edits) {
      assert.ok(edited);
      assert.equal(edited.buffer.byteLength, edited.length, 'not a slice of the shared pool');
    }
    assert.equal(JSON.parse(edits[0]!.toString()).model, 'gpt-4o-mini');
    assert.deepEqual(JSON.parse(edits[1]!.toString()).stream_options, { include_usage: true });
  });
});
