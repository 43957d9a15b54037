import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startProviderGateway } from '../../helpers/provider-gateway.ts';
import { replyWhole, type Reply } from '../../helpers/provider-replies.ts';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { checkingConverse } from './checking-bedrock-stand-in.ts';
import { fixtureBytes } from './event-stream-fixtures.ts';
import { verifySigV4 } from './sigv4-verifier.ts';

/**
 * An Anthropic client's 1-hour prompt cache (`cache_control: {type: "ephemeral", ttl: "1h"}`)
 * reaches Bedrock as a 1-hour cachePoint (AWS's CachePointBlock: `type: default`, optional
 * `ttl: 5m | 1h`), on tools, system, user text and tool results (audit bedrock-2, finding 2);
 * `5m` and no ttl stay Converse's default cachePoint.
 */

const aws = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const model = 'bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0';
type Ttl = '5m' | '1h' | undefined;
const hint = (ttl: Ttl) => (ttl === undefined ? { type: 'ephemeral' as const } : { type: 'ephemeral' as const, ttl });
const point = (ttl: Ttl) => ({ cachePoint: ttl === '1h' ? { type: 'default', ttl: '1h' } : { type: 'default' } });

describe('bedrock provider: cache_control ttl from Anthropic SDK clients (SigV4, checking stand-in)', () => {
  let upstream: StandIn;
  let client: Anthropic;
  let close: () => Promise<void>;
  const signatureProblems: string[] = [];

  before(async () => {
    const answer: Reply = checkingConverse(() => replyWhole(200, { 'content-type': 'application/json' }, () => fixtureBytes('converse-text.json')));
    const started = await startProviderGateway(
      async (request, response) => {
        const verdict = await verifySigV4(request, aws);
        if (!verdict.ok) signatureProblems.push(verdict.reason);
        return answer(request, response);
      },
      (upstreamUrl) => ({ env: { AWS_ACCESS_KEY_ID: aws.accessKeyId, AWS_SECRET_ACCESS_KEY: aws.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', BEDROCK_BASE_URL: upstreamUrl } }),
    );
    ({ upstream, close } = started);
    client = new Anthropic({ baseURL: started.gateway.url, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    signatureProblems.length = 0;
  });
  after(() => close());

  /** A request with the hint of `ttl` on a tool, the system prompt, a tool result and the user's text. */
  const send = (ttl: Ttl) =>
    client.messages.create({
      model,
      max_tokens: 300,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } }, cache_control: hint(ttl) }],
      system: [{ type: 'text', text: 'A long, stable system prompt.', cache_control: hint(ttl) }],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: '18°C', cache_control: hint(ttl) }] },
            { type: 'text', text: 'And tomorrow?', cache_control: hint(ttl) },
          ],
        },
      ],
    });

  for (const ttl of ['1h', '5m', undefined] as const) {
    it(`ttl ${ttl ?? 'unset'}: every cachePoint is ${ttl === '1h' ? "{type: default, ttl: '1h'}" : '{type: default}'}`, async () => {
      const message = await send(ttl);
      assert.equal(message.type, 'message');
      assert.deepEqual(signatureProblems, []);
      const sent = upstream.requests[0].json as { toolConfig: { tools: unknown[] }; system: unknown[]; messages: Array<{ content: unknown[] }> };
      assert.deepEqual(sent.toolConfig.tools[1], point(ttl));
      assert.deepEqual(sent.system, [{ text: 'A long, stable system prompt.' }, point(ttl)]);
      assert.deepEqual(sent.messages[2].content, [{ toolResult: { toolUseId: 'toolu_01A', content: [{ text: '18°C' }] } }, point(ttl), { text: 'And tomorrow?' }, point(ttl)]);
    });
  }
});
