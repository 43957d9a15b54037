import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';
import { chatAnswer } from '../helpers/openai-bodies.ts';

// Names a client may send that cannot go into an HTTP header as they are: above U+00FF, a control character.
const names = ['模型', 'emoji-🙂', 'a\nb'];

describe('model names that are not valid header values', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  let client: OpenAI;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean };
      const answer = chatAnswer(body.model, 'ok', body.stream === true);
      response.writeHead(200, { 'content-type': answer.contentType });
      response.end(answer.text);
    });
    gw = await startGateway(`providers: { up: { type: openai-compatible, base_url: "${upstream.url}/v1" } }\n`);
    client = new OpenAI({ baseURL: gw.baseURL, apiKey: 'unused' });
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  for (const name of names) {
    for (const stream of [false, true]) {
      it(`${JSON.stringify(name)}${stream ? ', streamed' : ''}: answered once, the header percent-encoded`, async () => {
        const calls = upstream.requests.length;
        const { data, response } = await client.chat.completions.create({ model: `up/${name}`, messages: [{ role: 'user', content: 'hi' }], stream }).withResponse();
        if (stream) {
          let text = '';
          for await (const chunk of data as AsyncIterable<OpenAI.ChatCompletionChunk>) text += chunk.choices[0]?.delta.content ?? '';
          assert.equal(text, 'ok');
        } else {
          assert.equal((data as OpenAI.ChatCompletion).choices[0].message.content, 'ok');
        }
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('x-tollgate-model'), encodeURIComponent(name));
        assert.ok(response.headers.get('x-request-id'));
        assert.equal(upstream.requests.length, calls + 1, 'one call upstream: no SDK retry of a failed answer');
        assert.equal((upstream.requests.at(-1)!.json as { model: string }).model, name, 'the provider gets the name as the client wrote it');
      });
    }
  }

  it('a printable ASCII name goes into the header as it is', async () => {
    const { response } = await client.chat.completions.create({ model: 'up/org/model:tag-1.5', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(response.headers.get('x-tollgate-model'), 'org/model:tag-1.5');
  });
});
