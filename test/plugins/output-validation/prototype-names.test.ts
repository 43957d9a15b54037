// Property names that Object.prototype also has (`constructor`, `toString`, `__proto__`,
// `hasOwnProperty`) are real field names (a racing team's `constructor`): the answer's own
// properties are what a schema's `properties` and `required` check, never the prototype's (the
// security-2 audit, finding 4: an optional `constructor` failed every valid answer, a required one
// was never enforced). Generous time limits: the point is what is checked, not how fast (client-schemas.test.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { assertOpenAIError, postJson, startChatStandIn } from '../../prompt-api/chat-stand-in.ts';

type StandIn = Awaited<ReturnType<typeof startChatStandIn>>;

describe('output-validation: names Object.prototype has are checked as the answer\'s own properties', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let answers: string[] = [];

  before(async () => {
    upstream = await startChatStandIn(() => answers);
    gw = await startGateway(['providers:', `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`, 'plugins:', '  output-validation: { max_compile_ms: 10000, max_check_ms: 5000 }'].join('\n'));
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const ask = (schema: Record<string, unknown>, answer: string) => {
    answers = [answer];
    return postJson(`${gw.baseURL}/chat/completions`, { model: 'upstream/m', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } });
  };

  it('an optional property named like a prototype member does not fail an answer without it', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const result = await ask({ type: 'object', properties: { [name]: { type: 'integer' }, a: { type: 'integer' } } }, '{"a":1}');
      assert.equal(result.status, 200, `${name}: ${JSON.stringify(result.json)}`);
    }
    const present = await ask({ type: 'object', properties: { constructor: { type: 'integer' } } }, '{"constructor":"Ferrari"}');
    assert.match(assertOpenAIError(present, 502, 'upstream_error', 'output_validation_failed'), /at '\/constructor': must be integer/);
  });

  it('a required property named like a prototype member is enforced', async () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const result = await ask({ type: 'object', required: [name] }, '{"a":1}');
      assert.match(assertOpenAIError(result, 502, 'upstream_error', 'output_validation_failed'), /must have required property/, name);
      const given = await ask({ type: 'object', required: [name] }, JSON.stringify({ [name]: 1 }));
      assert.equal(given.status, 200, `${name} given: ${JSON.stringify(given.json)}`);
    }
  });
});
