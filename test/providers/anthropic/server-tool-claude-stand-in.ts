import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

/**
 * A Messages API stand-in for Claude's answers that hold more than the canonical message can:
 * server tool calls and results (web search, web fetch, code execution, MCP), text blocks with
 * citations, `pause_turn`, a matched stop sequence, `model_context_window_exceeded`, and usage
 * with `cache_creation` by lifetime, `server_tool_use` and `service_tier`. The scenario is named
 * in the last user message (`[[websearch]]`…). Streams are written as Anthropic streams them:
 * message_start with the input side of the usage, a `ping` after the first block's start, text in
 * fragments with each citation as a `citations_delta` before the text, a server tool's input as
 * `input_json_delta` fragments, result blocks whole in their start, message_delta with the stop
 * reason, the stop sequence and the usage (`server_tool_use` there).
 */

export type Block = Record<string, unknown> & { type: string };

export interface ClaudeAnswer {
  content: Block[];
  stop_reason: string;
  stop_sequence: string | null;
  usage: Record<string, unknown>;
}

const shannonCitation = {
  type: 'web_search_result_location',
  url: 'https://en.wikipedia.org/wiki/Claude_Shannon',
  title: 'Claude Shannon - Wikipedia',
  encrypted_index: 'Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm',
  cited_text: 'Claude Elwood Shannon (April 30, 1916 – February 24, 2001) was an American mathematician',
};

const petoskeyCitation = {
  type: 'web_search_result_location',
  url: 'https://www.britannica.com/biography/Claude-Shannon',
  title: 'Claude Shannon | Britannica',
  encrypted_index: 'EpABCioIAhgBIiQ3ZDA3ZjE0',
  cited_text: 'born April 30, 1916, Petoskey, Michigan, U.S.',
};

/** A web search turn: text, the search and its results, then two cited texts. */
export const webSearchContent: Block[] = [
  { type: 'text', text: "I'll search for when Claude Shannon was born.", citations: null },
  { type: 'server_tool_use', id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE', name: 'web_search', input: { query: 'claude shannon birth date' } },
  {
    type: 'web_search_tool_result',
    tool_use_id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE',
    content: [
      { type: 'web_search_result', url: 'https://en.wikipedia.org/wiki/Claude_Shannon', title: 'Claude Shannon - Wikipedia', encrypted_content: 'EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5', page_age: 'April 30, 2025' },
      { type: 'web_search_result', url: 'https://www.britannica.com/biography/Claude-Shannon', title: 'Claude Shannon | Britannica', encrypted_content: 'EsYBCioIARgBIiQ1ZDA3', page_age: null },
    ],
  },
  { type: 'text', text: 'Claude Shannon was born on April 30, 1916, ', citations: [shannonCitation] },
  { type: 'text', text: 'in Petoskey, Michigan.', citations: [petoskeyCitation] },
];

/** Server tools of other kinds: web fetch, code execution, MCP (their blocks come whole, as sent). */
export const otherToolsContent: Block[] = [
  { type: 'server_tool_use', id: 'srvtoolu_02', name: 'web_fetch', input: { url: 'https://example.org/data.csv' } },
  { type: 'web_fetch_tool_result', tool_use_id: 'srvtoolu_02', content: { type: 'web_fetch_result', url: 'https://example.org/data.csv', retrieved_at: '2025-08-25T10:30:00Z', content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'a,b\n1,2' }, title: 'data.csv', citations: null } } },
  { type: 'server_tool_use', id: 'srvtoolu_03', name: 'code_execution', input: { code: 'print(1 + 2)' } },
  { type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_03', content: { type: 'code_execution_result', stdout: '3\n', stderr: '', return_code: 0, content: [] } },
  { type: 'mcp_tool_use', id: 'mcptoolu_01', name: 'lookup_order', server_name: 'orders', input: { number: '42' } },
  { type: 'mcp_tool_result', tool_use_id: 'mcptoolu_01', is_error: false, content: [{ type: 'text', text: 'Order 42 shipped.', citations: null }] },
  { type: 'text', text: 'The sum is 3 and order 42 has shipped.', citations: null },
];

/** A web search answer whose cited text holds an e-mail address (what a response guardrail rewrites). */
export const contactContent: Block[] = [
  { type: 'text', text: 'Searching the directory.', citations: null },
  { type: 'server_tool_use', id: 'srvtoolu_05', name: 'web_search', input: { query: 'example corp support contact' } },
  { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_05', content: [{ type: 'web_search_result', url: 'https://example.org/support', title: 'Support - Example Corp', encrypted_content: 'EsYBCioIARgBIiQ5', page_age: null }] },
  {
    type: 'text',
    text: 'You can write to bob.smith@example.com for support.',
    citations: [{ type: 'web_search_result_location', url: 'https://example.org/support', title: 'Support - Example Corp', encrypted_index: 'EpABCioIAhgBIiQ5', cited_text: 'Support: bob.smith@example.com (weekdays).' }],
  },
];

/** Each scenario's answer. */
export const answers: Record<string, ClaudeAnswer> = {
  websearch: {
    content: webSearchContent,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 2100,
      cache_creation_input_tokens: 3000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 3000 },
      output_tokens: 180,
      server_tool_use: { web_search_requests: 1 },
      service_tier: 'standard',
    },
  },
  contact: {
    content: contactContent,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 60, server_tool_use: { web_search_requests: 1 }, service_tier: 'standard' },
  },
  othertools: {
    content: otherToolsContent,
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 900, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 120, server_tool_use: { web_fetch_requests: 1 }, service_tier: 'standard' },
  },
  pause: {
    content: [
      { type: 'text', text: 'Let me search for that.', citations: null },
      { type: 'server_tool_use', id: 'srvtoolu_04', name: 'web_search', input: { query: 'shannon information theory 1948' } },
    ],
    stop_reason: 'pause_turn',
    stop_sequence: null,
    usage: { input_tokens: 1200, cache_creation_input_tokens: 0, cache_read_input_tokens: 800, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 40, server_tool_use: { web_search_requests: 0 }, service_tier: 'standard' },
  },
  stop: {
    content: [{ type: 'text', text: '1, 2, 3, 4, ', citations: null }],
    stop_reason: 'stop_sequence',
    stop_sequence: 'END',
    usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 12, service_tier: 'standard' },
  },
  context: {
    content: [{ type: 'text', text: 'The summary so far:', citations: null }],
    stop_reason: 'model_context_window_exceeded',
    stop_sequence: null,
    usage: { input_tokens: 199990, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 }, output_tokens: 10, service_tier: 'standard' },
  },
};

/** The Message Anthropic answers for a scenario. */
export function claudeMessage(name: string, model = 'claude-sonnet-4-5'): Record<string, unknown> {
  const answer = answers[name]!;
  return { id: `msg_01${name}`, type: 'message', role: 'assistant', model, content: answer.content, stop_reason: answer.stop_reason, stop_sequence: answer.stop_sequence, stop_details: null, usage: answer.usage };
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Text in pieces of at most `size` characters, as a stream gives it. */
function fragments(text: string, size: number): string[] {
  return text.match(new RegExp(`[^]{1,${size}}`, 'gu')) ?? [];
}

/** The event stream Anthropic sends for a scenario. */
export function claudeEvents(name: string, model = 'claude-sonnet-4-5'): string {
  const message = claudeMessage(name, model);
  const answer = answers[name]!;
  const { server_tool_use: serverToolUse, output_tokens: outputTokens, ...inputSide } = answer.usage;
  let out = event('message_start', { message: { ...message, content: [], stop_reason: null, stop_sequence: null, stop_details: null, usage: { ...inputSide, output_tokens: 3 } } });
  answer.content.forEach((block, index) => {
    if (block.type === 'text') {
      out += event('content_block_start', { index, content_block: { type: 'text', text: '', citations: null } });
      if (index === 0) out += event('ping', {});
      for (const citation of Array.isArray(block.citations) ? block.citations : []) out += event('content_block_delta', { index, delta: { type: 'citations_delta', citation } });
      for (const text of fragments(String(block.text), 7)) out += event('content_block_delta', { index, delta: { type: 'text_delta', text } });
    } else if ('input' in block) {
      out += event('content_block_start', { index, content_block: { ...block, input: {} } });
      if (index === 0) out += event('ping', {});
      out += event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: '' } });
      for (const partial of fragments(JSON.stringify(block.input), 9)) out += event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: partial } });
    } else {
      out += event('content_block_start', { index, content_block: block });
      if (index === 0) out += event('ping', {});
    }
    out += event('content_block_stop', { index });
  });
  const finalUsage: Record<string, unknown> = { input_tokens: answer.usage.input_tokens, cache_creation_input_tokens: answer.usage.cache_creation_input_tokens, cache_read_input_tokens: answer.usage.cache_read_input_tokens, output_tokens: outputTokens };
  if (serverToolUse !== undefined) finalUsage.server_tool_use = serverToolUse;
  out += event('message_delta', { delta: { stop_reason: answer.stop_reason, stop_sequence: answer.stop_sequence, stop_details: null }, usage: finalUsage });
  return out + event('message_stop', {});
}

/** The scenario a request names (`[[name]]` in its last message's text). */
function scenarioOf(body: { messages?: Array<{ content: unknown }> }): string {
  const named = /\[\[(\w+)\]\]/.exec(JSON.stringify(body.messages?.at(-1)?.content ?? ''))?.[1];
  return named !== undefined && named in answers ? named : 'websearch';
}

/** Answers a Messages call with its scenario, as a Message or its event stream. */
export function serverToolClaude(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as { model?: string; stream?: boolean; messages?: Array<{ content: unknown }> };
  const name = scenarioOf(body);
  const headers = { 'request-id': `req_01${name}` };
  if (body.stream === true) {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', ...headers });
    response.end(claudeEvents(name, body.model));
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(claudeMessage(name, body.model)));
}
