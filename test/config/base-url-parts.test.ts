import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseUrlProblem } from '../../src/config/base-url.ts';
import { startGateway } from '../helpers/start-gateway.ts';

// A blind audit found a base URL's query string ended up before the operation's path
// (`https://host/v1?x=1/chat/completions`) and a user name and password in it were silently not sent.
test('a base URL with a query string, a fragment or credentials is a config problem naming why', () => {
  assert.match(baseUrlProblem('https://llm.example.com/v1?tenant=a') ?? '', /no query string or fragment/);
  assert.match(baseUrlProblem('https://llm.example.com/v1#x') ?? '', /no query string or fragment/);
  const credentials = baseUrlProblem('https://user:s3cret@llm.example.com/v1') ?? '';
  assert.match(credentials, /no user name or password/);
  assert.doesNotMatch(credentials, /s3cret/, 'the problem does not repeat the password');
  assert.equal(baseUrlProblem('https://llm.example.com/v1'), null);
  assert.equal(baseUrlProblem('http://127.0.0.1:11434'), null);
});

test('the gateway refuses to start with such a base URL, naming the setting', async () => {
  const starting = startGateway('providers: { local: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1?tenant=a" } }\n');
  await assert.rejects(starting.then(async (running) => {
    await running.close();
    throw new Error('started');
  }), (error: Error & { problems?: string[] }) => {
    const text = [error.message, ...(error.problems ?? [])].join('\n');
    assert.match(text, /providers\.local\.base_url/);
    assert.match(text, /no query string/);
    return true;
  });
});
