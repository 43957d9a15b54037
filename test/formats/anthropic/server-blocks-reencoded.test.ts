import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';
import { chatCompletion } from '../../helpers/openai-bodies.ts';

/**
 * A Messages request a plugin changed is re-encoded for an Anthropic provider from the canonical
 * request: the client's turns with blocks the canonical model lacks (server tool calls and
 * results, MCP blocks, citations, search results, documents, several thinking blocks) must still
 * reach Claude as sent, and `output_config.format` as itself, not as a forced JSON tool.
 */
const email = 'ann@example.com';

function reply(request: RecordedRequest, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  if (request.path.endsWith('/chat/completions')) {
    response.end(JSON.stringify(chatCompletion('gpt-4o-mini', '{"city":"Lisbon"}', { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })));
    return;
  }
  const answer = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text: '{"city":"Lisbon"}' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } };
  response.end(JSON.stringify(answer));
}

const webSearchTurn = [
  { type: 'thinking', thinking: 'I should search.', signature: 'sig-one' },
  { type: 'text', text: "I'll search for that." },
  { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'weather lisbon' } },
  {
    type: 'web_search_tool_result',
    tool_use_id: 'srvtoolu_01',
    content: [{ type: 'web_search_result', title: 'Lisbon weather', url: 'https://example.org/lisbon', encrypted_content: 'EqgfCioIARgBIiQ3YTA0', page_age: 'April 30, 2025' }],
  },
  { type: 'thinking', thinking: 'Now fetch the page.', signature: 'sig-two' },
  { type: 'server_tool_use', id: 'srvtoolu_02', name: 'web_fetch', input: { url: 'https://example.org/lisbon' } },
  { type: 'web_fetch_tool_result', tool_use_id: 'srvtoolu_02', content: { type: 'web_fetch_result', url: 'https://example.org/lisbon', content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Clear skies, 24 C.' } } } },
  {
    type: 'text',
    text: 'It is sunny in Lisbon.',
    citations: [{ type: 'web_search_result_location', url: 'https://example.org/lisbon', title: 'Lisbon weather', encrypted_index: 'Eo8BCioIAhgBIiQyYjQ', cited_text: 'Clear skies, 24 C.' }],
  },
];

const codeTurn = [
  { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' },
  { type: 'server_tool_use', id: 'srvtoolu_03', name: 'code_execution', input: { code: 'print(1)' } },
  { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_03', content: { type: 'code_execution_result', stdout: '1\n', stderr: '', return_code: 0, content: [] } },
  { type: 'server_tool_use', id: 'srvtoolu_04', name: 'bash_code_execution', input: { command: 'ls' } },
  { type: 'bash_code_execution_tool_result', tool_use_id: 'srvtoolu_04', content: { type: 'bash_code_execution_result', stdout: 'a.txt', stderr: '', return_code: 0, content: [] } },
  { type: 'server_tool_use', id: 'srvtoolu_05', name: 'text_editor_code_execution', input: { command: 'view', path: 'a.txt' } },
  { type: 'text_editor_code_execution_tool_result', tool_use_id: 'srvtoolu_05', content: { type: 'text_editor_code_execution_view_result', file_type: 'text', content: 'hello', num_lines: 1, start_line: 1, total_lines: 1 } },
  { type: 'mcp_tool_use', id: 'mcptoolu_01', name: 'lookup', server_name: 'orders', input: { id: '42' } },
  { type: 'mcp_tool_result', tool_use_id: 'mcptoolu_01', is_error: false, content: [{ type: 'text', text: 'Order 42 shipped.' }] },
  { type: 'text', text: 'Done.' },
];

const userSources = [
  { type: 'search_result', source: 'https://kb.example.org/1', title: 'Returns policy', content: [{ type: 'text', text: 'Returns within 30 days.' }], citations: { enabled: true } },
  { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'The handbook.' }, title: 'Handbook', citations: { enabled: true } },
  { type: 'text', text: 'What do these say?' },
];

/** A conversation that used server tools, then a user turn that a plugin changes (an address pii masks). */
function conversation(lastUserText: string): Anthropic.MessageParam[] {
  return [
    { role: 'user', content: 'Weather in Lisbon?' },
    { role: 'assistant', content: webSearchTurn },
    { role: 'user', content: 'Run the code.' },
    { role: 'assistant', content: codeTurn },
    { role: 'user', content: [{ type: 'container_upload', file_id: 'file_011' }] },
    { role: 'assistant', content: 'Uploaded.' },
    { role: 'user', content: userSources },
    { role: 'assistant', content: 'They cover returns.' },
    { role: 'user', content: lastUserText },
  ] as unknown as Anthropic.MessageParam[];
}

describe('Messages re-encoded for an Anthropic provider keep the conversation\'s server tool blocks and output_config.format', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: Anthropic;

  before(async () => {
    upstream = await startStandIn(reply);
    const route = (name: string, model: string, plugins: string) => [`  - match: { model: "${name}" }`, `    model: ${model}`, `    plugins: { ${plugins} }`];
    gateway = await startGateway(
      [
        'providers:',
        `  claude: { type: anthropic, api_key: ant-key, base_url: "${upstream.url}" }`,
        `  oai: { type: openai-compatible, api_key: oai-key, base_url: "${upstream.url}/v1" }`,
        'routes:',
        ...route('masked', 'claude/claude-sonnet-4-5', 'pii: { request: mask, entities: { email: { action: mask } } }'),
        ...route('redacted', 'claude/claude-sonnet-4-5', 'pii: { request: redact, entities: { email: { action: redact } } }'),
        ...route('blocked', 'claude/claude-sonnet-4-5', 'pii: { request: block, entities: { email: { action: block } } }'),
        ...route('decorated', 'claude/claude-sonnet-4-5', 'prompt-decorator: { append: [{ role: user, content: "Answer briefly." }] }'),
        ...route('oai-masked', 'oai/gpt-4o-mini', 'pii: { request: mask, entities: { email: { action: mask } } }'),
      ].join('\n'),
    );
    client = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  function sent(): Record<string, unknown> & { messages: Array<{ role: string; content: unknown }> } {
    assert.equal(upstream.requests.length, 1);
    return upstream.requests[0]!.json as Record<string, unknown> & { messages: Array<{ role: string; content: unknown }> };
  }

  it('masked: every server tool, MCP, thinking, citation, search result, document and container block goes up as sent, the masked turn masked', async () => {
    const message = await client.messages.create({ model: 'masked', max_tokens: 100, messages: conversation(`Mail the summary to ${email}`) });
    assert.equal(message.content[0]?.type, 'text');
    const body = sent();
    assert.ok(!upstream.requests[0]!.body.includes(email), 'the address was masked');
    assert.deepEqual(body.messages[1], { role: 'assistant', content: webSearchTurn }, 'the web search turn, in its order, both thinking blocks and the citations kept');
    assert.deepEqual(body.messages[3], { role: 'assistant', content: codeTurn }, 'code execution, bash, text editor and MCP blocks, redacted thinking first');
    assert.deepEqual(body.messages[4], { role: 'user', content: [{ type: 'container_upload', file_id: 'file_011' }] });
    assert.deepEqual(body.messages[6], { role: 'user', content: userSources }, 'the search result and the cited document as blocks, not text');
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: [{ type: 'text', text: 'Mail the summary to <EMAIL_1>' }] });
    assert.equal(body.messages.length, 9);
  });

  it('changed by prompt-decorator (no pii): the server blocks go up as sent, the added message after them', async () => {
    await client.messages.create({ model: 'decorated', max_tokens: 100, messages: conversation('Thanks.') });
    const body = sent();
    assert.deepEqual(body.messages[1], { role: 'assistant', content: webSearchTurn });
    assert.deepEqual(body.messages[3], { role: 'assistant', content: codeTurn });
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: [{ type: 'text', text: 'Thanks.' }, { type: 'text', text: 'Answer briefly.' }] });
  });

  it('pii masks and redacts an address inside server tool blocks (their ids and encrypted data kept), and block still refuses it', async () => {
    const turn = structuredClone(webSearchTurn) as Array<Record<string, unknown>>;
    (turn[2]!.input as Record<string, unknown>).query = `who is ${email}`;
    ((turn[3]!.content as Array<Record<string, unknown>>)[0]!).title = `Profile of ${email}`;
    const messages = [{ role: 'user', content: 'Look them up.' }, { role: 'assistant', content: turn }, { role: 'user', content: 'And now?' }] as unknown as Anthropic.MessageParam[];

    await client.messages.create({ model: 'masked', max_tokens: 100, messages });
    assert.ok(!upstream.requests[0]!.body.includes(email));
    const masked = sent().messages[1]!.content as Array<Record<string, unknown>>;
    assert.deepEqual(masked[2], { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'who is <EMAIL_1>' } });
    assert.deepEqual(masked[3], { ...webSearchTurn[3], content: [{ ...(webSearchTurn[3]!.content as object[])[0], title: 'Profile of <EMAIL_1>' }] });

    upstream.requests.length = 0;
    await client.messages.create({ model: 'redacted', max_tokens: 100, messages });
    const redacted = sent().messages[1]!.content as Array<Record<string, unknown>>;
    assert.deepEqual(redacted[2]!.input, { query: 'who is [EMAIL]' });
    assert.equal(((redacted[3]!.content as Array<Record<string, unknown>>)[0]!).encrypted_content, 'EqgfCioIARgBIiQ3YTA0');

    upstream.requests.length = 0;
    await assert.rejects(client.messages.create({ model: 'blocked', max_tokens: 100, messages }), (error: unknown) => error instanceof Anthropic.BadRequestError && /EMAIL/.test(error.message));
    assert.equal(upstream.requests.length, 0);
  });

  it('output_config.format goes up as output_config.format beside its effort, not as a forced tool; the schema as pii left it', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string', description: `City of ${email}` } }, required: ['city'], additionalProperties: false };
    const message = await client.messages.create({
      model: 'masked',
      max_tokens: 100,
      output_config: { effort: 'low', format: { type: 'json_schema', schema } },
      messages: [{ role: 'user', content: `Where does ${email} live?` }],
    } as unknown as Anthropic.Messages.MessageCreateParamsNonStreaming);
    assert.deepEqual(message.content, [{ type: 'text', text: '{"city":"Lisbon"}', citations: null }]);
    const body = sent();
    assert.equal(body.tools, undefined, 'no JSON tool');
    assert.equal(body.tool_choice, undefined);
    const maskedSchema = { ...schema, properties: { city: { type: 'string', description: 'City of <EMAIL_1>' } } };
    assert.deepEqual(body.output_config, { effort: 'low', format: { type: 'json_schema', schema: maskedSchema } });
  });

  it('the beta\'s top-level output_format goes up as output_format', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    await client.messages.create({
      model: 'masked',
      max_tokens: 100,
      output_format: { type: 'json_schema', schema },
      messages: [{ role: 'user', content: `Where does ${email} live?` }],
    } as unknown as Anthropic.Messages.MessageCreateParamsNonStreaming);
    const body = sent();
    assert.equal(body.tools, undefined);
    assert.deepEqual(body.output_format, { type: 'json_schema', schema });
  });

  it('to an OpenAI-format provider the conversation is translated as before (server blocks left out), without an error', async () => {
    const message = await client.messages.create({ model: 'oai-masked', max_tokens: 100, messages: conversation(`Mail the summary to ${email}`) });
    assert.equal(message.content[0]?.type, 'text');
    const body = sent();
    assert.ok(!upstream.requests[0]!.body.includes('server_tool_use') && !upstream.requests[0]!.body.includes('srvtoolu_01'));
    assert.ok(!upstream.requests[0]!.body.includes(email));
    assert.deepEqual(body.messages.at(-1), { role: 'user', content: 'Mail the summary to <EMAIL_1>' });
  });
});
