import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { assertOpenAIError, postJson, startChatStandIn } from '../../prompt-api/chat-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;

const schema = { type: 'object', properties: { city: { type: 'string' }, population: { type: 'integer' } }, required: ['city', 'population'], additionalProperties: false };
const jsonSchemaFormat = { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } } as const;

describe('output-validation through the real gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;
  let answers: string[] = [];

  before(async () => {
    upstream = await startChatStandIn(() => answers);
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "lenient" }',
        '    model: upstream/m',
        '    plugins: { output-validation: { on_invalid: pass } }',
        'plugins:',
        '  output-validation: {}',
      ].join('\n'),
    );
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  it('passes a valid answer unchanged; a ```json fence is not JSON to a client that parses the content', async () => {
    answers = ['{"city":"Lyon","population":522000}'];
    const answer = await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'Lyon?' }], response_format: jsonSchemaFormat });
    assert.equal(answer.choices[0].message.content, '{"city":"Lyon","population":522000}');
    answers = ['```json\n{"city":"Lyon","population":522000}\n```'];
    const fenced = await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'Lyon?' }], response_format: jsonSchemaFormat });
    assertOpenAIError(fenced, 502, 'upstream_error', 'output_validation_failed');
  });

  it('on_invalid: error answers 502 upstream_error output_validation_failed, naming where, not the answer', async () => {
    answers = ['{"city":"Lyon","population":"many"}'];
    const result = await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'Lyon?' }], response_format: jsonSchemaFormat });
    const message = assertOpenAIError(result, 502, 'upstream_error', 'output_validation_failed');
    assert.match(message, /at '\/population': must be integer/);
    assert.doesNotMatch(message, /many/);
    answers = ['Sure! Lyon has about half a million people.'];
    assert.match(assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'Lyon?' }], response_format: jsonSchemaFormat }), 502, 'upstream_error', 'output_validation_failed'), /not JSON/);
  });

  it('a key the schema does not name is not quoted in the message: it is the answer’s data', async () => {
    answers = ['{"jane.doe@example.com":"seven","items":[{"qty":"x"}]}'];
    const counts = { type: 'json_schema', json_schema: { name: 'counts', schema: { type: 'object', additionalProperties: { type: 'integer' } } } };
    const message = assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: counts }), 502, 'upstream_error', 'output_validation_failed');
    assert.match(message, /at '\/\*': must be integer/);
    assert.doesNotMatch(message, /jane/);
    answers = ['{"items":[{"qty":"x"}]}'];
    const nested = { type: 'json_schema', json_schema: { name: 'order', schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } } } } } } } };
    assert.match(assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: nested }), 502, 'upstream_error', 'output_validation_failed'), /at '\/items\/0\/qty': must be integer/);
  });

  it('the SDK sees a 502 APIError', async () => {
    answers = ['{"city":"Lyon"}'];
    await assert.rejects(client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'Lyon?' }], response_format: jsonSchemaFormat }), (error: unknown) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 502);
      assert.equal(error.code, 'output_validation_failed');
      return true;
    });
  });

  it('json_object requests must get a JSON object', async () => {
    answers = ['[1,2]'];
    assert.match(assertOpenAIError(await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } }), 502, 'upstream_error', 'output_validation_failed'), /not a JSON object/);
  });

  it('on_invalid: pass sends the answer with x-tollgate-output-validation: failed', async () => {
    answers = ['not json'];
    const result = await postJson(`${gw.baseURL}/chat/completions`, { model: 'lenient', messages: [{ role: 'user', content: 'x' }], response_format: jsonSchemaFormat });
    assert.equal(result.status, 200);
    assert.equal(result.json.choices[0].message.content, 'not json');
    assert.equal(result.headers.get('x-tollgate-output-validation'), 'failed');
    answers = ['{"city":"Nice","population":1}'];
    const valid = await postJson(`${gw.baseURL}/chat/completions`, { model: 'lenient', messages: [{ role: 'user', content: 'x' }], response_format: jsonSchemaFormat });
    assert.equal(valid.headers.get('x-tollgate-output-validation'), 'passed');
  });

  it('requests without response_format, and streams, are not checked', async () => {
    answers = ['plain text'];
    const plain = await client.chat.completions.create({ model: 'upstream/m', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(plain.choices[0].message.content, 'plain text');
    // echo ignores response_format and answers the prompt; its stream is not validated.
    const stream = await client.chat.completions.create({ model: 'echo/x', stream: true, messages: [{ role: 'user', content: 'not json at all' }], response_format: jsonSchemaFormat });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'not json at all');
  });

  it('a schema that does not compile is not enforced', async () => {
    answers = ['{"a":1}'];
    const result = await postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'bad', schema: { type: 'no-such-type' } } } });
    assert.equal(result.status, 200);
  });
});
