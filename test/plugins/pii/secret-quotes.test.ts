import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { found } from './pii-helpers.ts';

const secrets = (text: string): string[] => found(text).filter((entry) => entry.startsWith('SECRET:'));

describe('secret: a double quote inside a password, and quotes around one', () => {
  it('an unquoted value keeps a " that more of the value follows', () => {
    assert.deepEqual(secrets('password: Tr0ub"ad0r3!xQ'), ['SECRET:Tr0ub"ad0r3!xQ']);
    assert.deepEqual(secrets('Passwort: Gh7"kL9!mQ2x'), ['SECRET:Gh7"kL9!mQ2x']);
    // Not "Kx" as one of the words between the cue and the value, leaving it out.
    assert.deepEqual(secrets('my password is Kx"9!vLq#2Zp'), ['SECRET:Kx"9!vLq#2Zp']);
    assert.deepEqual(secrets('password for the test account is Meadow&5522"glacier# (rotate)'), ['SECRET:Meadow&5522"glacier#']);
    assert.deepEqual(secrets('password=Tr0ub"ad"0r3!x'), ['SECRET:Tr0ub"ad"0r3!x']);
  });

  it('a quote that ends the value is not part of it', () => {
    // Followed by a space, the end of the text, punctuation or a JSON key's colon.
    assert.deepEqual(secrets('password: Tr0ub4dor!x" and more'), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets('password: Tr0ub4dor!x"'), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets('{"note":"password: Tr0ub4dor!x","user":"x"}'), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets('{"my password Tr0ub4dor!x": 1}'), ['SECRET:Tr0ub4dor!x']);
  });

  it('a value written in quotes ends at its closing quote; the quotes are not part of it', () => {
    assert.deepEqual(secrets('password: "Tr0ub4dor!x yz"'), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets("password: 'Tr0ub4dor!x'"), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets('api_key="Zq8#Lm2!Vx9pRt"'), ['SECRET:Zq8#Lm2!Vx9pRt']);
    assert.deepEqual(secrets('the password is "Meadow&5522glacier#"'), ['SECRET:Meadow&5522glacier#']);
    assert.deepEqual(secrets('{"password": "Tr0ub4dor!x", "user": "x"}'), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets('{"password":"Tr0ub4dor!x","user":"x"}'), ['SECRET:Tr0ub4dor!x']);
    // In code the whole `key=value` stands in a string: the value ends with it, even glued to what follows.
    assert.deepEqual(secrets('connect("password=Tr0ub4dor!x")'), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets('connect("password=Tr0ub4dor!x"+suffix)'), ['SECRET:Tr0ub4dor!x']);
    assert.deepEqual(secrets('run(`pwd=Tr0ub4dor!x`.trim())'), ['SECRET:Tr0ub4dor!x']);
  });
});

describe('secret: a password holding a " through the real gateway (request: mask)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;

  before(async () => {
    // The stand-in answers with the last user message it was sent.
    upstream = await startStandIn((request, response) => {
      const body = request.json as { messages: Array<{ content: string }> };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-q',
          object: 'chat.completion',
          created: 1700000000,
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content: body.messages.at(-1)?.content, refusal: null }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
    gateway = await startGateway(`providers:\n  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }\nplugins:\n  pii: { request: mask }\n`);
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  const cases = [
    ['password: Tr0ub"ad0r3!xQ', 'password: <SECRET_1>'],
    ['Passwort: Gh7"kL9!mQ2x', 'Passwort: <SECRET_1>'],
    ['my password is Kx"9!vLq#2Zp', 'my password is <SECRET_1>'],
    ['api_key="Zq8#Lm2!Vx9pRt"', 'api_key="<SECRET_1>"'],
  ];
  for (const [prompt, masked] of cases) {
    it(`the provider sees ${JSON.stringify(masked)}; the client gets its own text back`, async () => {
      const completion = await client.chat.completions.create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
      assert.equal((upstream.requests[0].json as { messages: Array<{ content: string }> }).messages[0].content, masked);
      assert.equal(completion.choices[0].message.content, prompt);
    });
  }
});
