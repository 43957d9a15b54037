import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutAccountIds, withoutSecret, withoutSecrets } from '../../src/providers/without-secrets.ts';

const xaiKey = 'xai-WRONGkey0000000000000000000000000000000000000000000000009999';
const openAIKey = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123abcd';

describe('withoutSecrets: keys a provider quotes in an error', () => {
  it('redacts the whole key wherever it appears', () => {
    assert.equal(withoutSecret(`Invalid API key: ${openAIKey} (twice: ${openAIKey})`, openAIKey), 'Invalid API key: [redacted] (twice: [redacted])');
  });

  it("redacts a mask that keeps the key's last 4 characters (OpenAI, Groq)", () => {
    assert.equal(withoutSecret('Incorrect API key provided: sk-proj-***********abcd. You can find your API key at …', openAIKey), 'Incorrect API key provided: [redacted]. You can find your API key at …');
    assert.equal(withoutSecret('Invalid API Key: sk-…abcd', openAIKey), 'Invalid API Key: [redacted]');
    assert.equal(withoutSecret('Key sk-proj-xyz (sk-***abcd) is not allowed [sk-***abcd].', openAIKey), 'Key sk-proj-xyz ([redacted]) is not allowed [[redacted]].');
  });

  it("redacts xAI's mask, which keeps the first 2 and the last 2 characters", () => {
    const body = '{"code":"Client specified an invalid argument","error":"Incorrect API key provided: xa***99. You can obtain an API key from https://console.x.ai."}';
    assert.equal(withoutSecret(body, xaiKey), '{"code":"Client specified an invalid argument","error":"Incorrect API key provided: [redacted]. You can obtain an API key from https://console.x.ai."}');
    // Three characters kept at either end, or another mask character, read the same.
    assert.equal(withoutSecret('key xai***999 refused', xaiKey), 'key [redacted] refused');
    assert.equal(withoutSecret('key xa...99 refused', xaiKey), 'key [redacted] refused');
  });

  it("leaves a short-ended mask alone unless its start is the key's start too", () => {
    // The end matches the key's but the start does not: another key, or ordinary text.
    assert.equal(withoutSecret('Incorrect API key provided: sk***99.', xaiKey), 'Incorrect API key provided: sk***99.');
    // No visible start at all, or one character of it: too little to say it is this key.
    assert.equal(withoutSecret('provided: ***99.', xaiKey), 'provided: ***99.');
    assert.equal(withoutSecret('provided: x***99.', xaiKey), 'provided: x***99.');
    // One character of the end is not enough either.
    assert.equal(withoutSecret('provided: xa***9.', xaiKey), 'provided: xa***9.');
  });

  it('does not touch ordinary text with asterisks or an ellipsis', () => {
    const text = 'The **model** is loading... please wait...99 seconds, or see docs: xa…';
    assert.equal(withoutSecret(text, xaiKey), text);
    assert.equal(withoutSecret('wait...99 more', xaiKey), 'wait...99 more');
  });

  it('skips short values and missing ones', () => {
    assert.equal(withoutSecrets('abc appears here', ['abc', undefined, '']), 'abc appears here');
  });
});

describe('withoutAccountIds: the operator account ids in a provider message', () => {
  it("redacts OpenAI organization and project ids, and leaves words that merely start alike", () => {
    assert.equal(withoutAccountIds('in organization org-AbCdEfGh12345678 on requests per min'), 'in organization org-[redacted] on requests per min');
    assert.equal(withoutAccountIds('project proj_Zyxw9876Vuts.'), 'project proj_[redacted].');
    assert.equal(withoutAccountIds('an org-wide policy for proj_x'), 'an org-wide policy for proj_x');
  });
});
