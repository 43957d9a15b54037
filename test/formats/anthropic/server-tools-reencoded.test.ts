import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

const answer = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } };

/** A server tool (run at Anthropic, no input_schema) and a client tool, in the order the client declared them. */
const tools = [
  { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
  { name: 'lookup_order', description: 'Finds an order by its number.', input_schema: { type: 'object', properties: { number: { type: 'string' } }, required: ['number'] } },
] as unknown as Anthropic.Messages.ToolUnion[];

describe('an Anthropic client request a plugin changed keeps its server tools and Anthropic-only fields on the way to an Anthropic provider', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;

  before(async () => {
    upstream = await startStandIn((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
    const config = `
plugins:
  pii: { request: mask, entities: { email: { action: mask } } }
`;
    gateway = await startGateway(config, { ANTHROPIC_API_KEY: 'upstream-key', ANTHROPIC_BASE_URL: upstream.url });
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('masked (re-encoded from the canonical request): the masked text, both tools as sent, and mcp_servers, container, service_tier, context_management', async () => {
    const extras = {
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'orders' }],
      container: 'container_011CQUaQvdEtZ2Qx1nJa8uQT',
      service_tier: 'standard_only',
      context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] },
    };
    const message = await client.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 50,
      tools,
      messages: [{ role: 'user', content: 'Search the web for news, then mail ann@example.com' }],
      ...extras,
    } as unknown as Anthropic.Messages.MessageCreateParamsNonStreaming);
    assert.deepEqual(message.content, [{ type: 'text', text: 'ok', citations: null }]);
    const sent = upstream.requests[0].json as Record<string, unknown>;
    assert.deepEqual(sent.messages, [{ role: 'user', content: [{ type: 'text', text: 'Search the web for news, then mail <EMAIL_1>' }] }], 'the masked body went up');
    assert.ok(!upstream.requests[0].body.includes('ann@example.com'));
    assert.deepEqual(sent.tools, tools, 'the server tool and the client tool, in their order, as the client sent them');
    for (const [name, value] of Object.entries(extras)) assert.deepEqual(sent[name], value, name);
  });

  it('a forced server tool with no client tools keeps its tool_choice', async () => {
    await client.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 50,
      tools: [tools[0]],
      tool_choice: { type: 'tool', name: 'web_search', disable_parallel_tool_use: true },
      messages: [{ role: 'user', content: 'Who wrote to ann@example.com?' }],
    });
    const sent = upstream.requests[0].json as Record<string, unknown>;
    assert.deepEqual(sent.tools, [tools[0]]);
    assert.deepEqual(sent.tool_choice, { type: 'tool', name: 'web_search', disable_parallel_tool_use: true });
  });

  it('masked, the thinking budget and all the stop sequences go up as the client sent them', async () => {
    const stopSequences = ['END1', 'END2', 'END3', 'END4', 'END5'];
    await client.messages.create({
      model: 'anthropic/claude-sonnet-4-5',
      max_tokens: 8000,
      thinking: { type: 'enabled', budget_tokens: 3000 },
      stop_sequences: stopSequences,
      messages: [{ role: 'user', content: 'Mail ann@example.com' }],
    });
    const sent = upstream.requests[0].json as Record<string, unknown>;
    assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 3000 }, 'not the budget of the effort it was read as');
    assert.equal(sent.max_tokens, 8000);
    assert.deepEqual(sent.stop_sequences, stopSequences, 'Anthropic takes more than four');
  });

  it('without PII the client bytes go up untouched', async () => {
    const body = { model: 'anthropic/claude-sonnet-4-5', max_tokens: 50, tools, messages: [{ role: 'user' as const, content: 'Search the web for news' }] };
    await client.messages.create(body);
    const sent = upstream.requests[0].json as Record<string, unknown>;
    assert.deepEqual(sent.tools, tools);
    assert.deepEqual(sent.messages, body.messages, 'the passthrough keeps the string content as sent');
    assert.equal(sent.model, 'claude-sonnet-4-5');
  });
});
