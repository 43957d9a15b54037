import type { ServerResponse } from 'node:http';
import type { RecordedRequest, StandInHandler } from '../../helpers/stand-in-server.ts';
import { sseBody } from '../../helpers/stand-in-server.ts';

/**
 * A stand-in for Mistral's chat API (`/v1/chat/completions`, and `/v1/embeddings`) that behaves like the real one where
 * it differs from OpenAI's (docs.mistral.ai/api; mistralai/client-python models; the error bodies
 * users report):
 * - validation as Mistral's pydantic schemas do it: an unknown top-level field, a message field
 *   outside its role's schema, a role other than system/user/assistant/tool, or a reasoning_effort
 *   other than none/high, a function tool without `parameters` -> 422
 *   `{"object":"error","message":{"detail":[{type, loc, msg, input}]},...}`;
 * - the message order Mistral serves (mistral-common's request validator, the errors users report):
 *   after tool results only an assistant message or more tool results (400 "Unexpected role 'user'
 *   after role 'tool'", code 3230), an assistant message with text or tool calls, and the last
 *   message a user's or tool's, or an assistant's with `prefix: true`;
 * - a tool-call id that is not 9 letters or digits -> 400 with Mistral's code 3280;
 * - tool calls answered without `type` (id of 9 characters, `index` inside the call);
 * - usage on the last chunk of a stream (Mistral takes no stream_options);
 * - by model name: `model-length` ends with finish_reason `model_length`, `magistral-*` answers
 *   content as thinking and text chunks (non-streamed: one array; streamed: thinking chunks, then
 *   text as a chunk array and as strings).
 */
export const mistralKey = 'mistral-test-key';

const topLevelFields = new Set(['model', 'messages', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'metadata', 'response_format', 'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls', 'reasoning_effort', 'prompt_mode', 'guardrails', 'prompt_cache_key', 'safe_prompt']);
const messageFields: Record<string, string[]> = {
  system: ['role', 'content'],
  user: ['role', 'content'],
  assistant: ['role', 'content', 'tool_calls', 'prefix'],
  tool: ['role', 'content', 'tool_call_id', 'name'],
};

interface Issue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
}

interface Body {
  model?: string;
  stream?: boolean;
  messages?: Array<Record<string, unknown>>;
  tools?: Array<{ function: { name: string } }>;
  tool_choice?: unknown;
  reasoning_effort?: unknown;
}

function validate(body: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  for (const [field, value] of Object.entries(body)) if (!topLevelFields.has(field)) issues.push({ type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted', input: value });
  if (body.reasoning_effort !== undefined && body.reasoning_effort !== null && body.reasoning_effort !== 'none' && body.reasoning_effort !== 'high') {
    issues.push({ type: 'enum', loc: ['body', 'reasoning_effort'], msg: "Input should be 'none' or 'high'", input: body.reasoning_effort });
  }
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  messages.forEach((message, index) => {
    const allowed = messageFields[String(message.role)];
    if (!allowed) {
      issues.push({ type: 'union_tag_invalid', loc: ['body', 'messages', index], msg: `Input tag '${String(message.role)}' found using 'role' does not match any of the expected tags: 'assistant', 'system', 'tool', 'user'`, input: message });
      return;
    }
    for (const [field, value] of Object.entries(message)) if (!allowed.includes(field)) issues.push({ type: 'extra_forbidden', loc: ['body', 'messages', index, String(message.role), field], msg: 'Extra inputs are not permitted', input: value });
  });
  const tools = Array.isArray(body.tools) ? (body.tools as Array<{ function?: Record<string, unknown> }>) : [];
  tools.forEach((tool, index) => {
    // Mistral's Function model has `parameters: Dict[str, Any]` with no default.
    if (tool.function !== undefined && !('parameters' in tool.function)) issues.push({ type: 'missing', loc: ['body', 'tools', index, 'function', 'parameters'], msg: 'Field required', input: tool.function });
  });
  return issues;
}

/** The roles Mistral takes after each role (mistral-common `MistralRequestValidator._validate_message_order`). */
const nextRoles: Record<string, string[]> = {
  system: ['system', 'user', 'assistant'],
  user: ['system', 'user', 'assistant'],
  assistant: ['assistant', 'user', 'tool'],
  tool: ['assistant', 'tool'],
};

/**
 * The first break of Mistral's message-order rules, as its 400 says it: a role that may not follow
 * the one before (a user or system message right after tool results), an assistant message with
 * neither text nor tool calls, a prefix that is not the last message, and a last message that is
 * an assistant's without `prefix: true`.
 */
function orderError(messages: Array<Record<string, unknown>>): { message: string; type: string; code: string | null } | undefined {
  for (let index = 1; index < messages.length; index++) {
    const previous = String(messages[index - 1].role);
    const current = String(messages[index].role);
    if (!nextRoles[previous]?.includes(current)) return { message: `Unexpected role '${current}' after role '${previous}'`, type: 'invalid_request_message_order', code: '3230' };
  }
  for (const [index, message] of messages.entries()) {
    if (message.role !== 'assistant') continue;
    const hasText = typeof message.content === 'string' ? message.content.length > 0 : Array.isArray(message.content) && message.content.length > 0;
    const hasCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
    if (!hasText && !hasCalls) return { message: 'Assistant message must have either content or tool_calls, but not both.', type: 'invalid_request_error', code: null };
    if (message.prefix === true && index !== messages.length - 1) return { message: 'Assistant message with prefix True must be last message', type: 'invalid_request_error', code: null };
  }
  const last = messages.at(-1);
  if (messages.length > 1 && last?.role === 'assistant' && last.prefix !== true) return { message: 'Expected last role User or Tool (or Assistant with prefix True) for serving but got assistant', type: 'invalid_request_error', code: null };
  return undefined;
}

/** The first tool-call id of the conversation that breaks Mistral's rule, if any. */
function badToolCallId(messages: Array<Record<string, unknown>>): string | undefined {
  for (const message of messages) {
    for (const call of (message.tool_calls as Array<{ id?: string }> | undefined) ?? []) if (!/^[a-zA-Z0-9]{9}$/.test(call.id ?? '')) return call.id;
    if (message.role === 'tool' && !/^[a-zA-Z0-9]{9}$/.test(String(message.tool_call_id))) return String(message.tool_call_id);
  }
  return undefined;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'mistral-correlation-id': '0199-test' });
  response.end(JSON.stringify(body));
}

const usage = { prompt_tokens: 9, total_tokens: 21, completion_tokens: 12 };

/** What the model answers: tool calls when tools are offered (and the last message is no tool result), else text. */
function answer(body: Body): { content: string | null; toolCalls: Array<{ id: string; function: { name: string; arguments: string }; index: number }> | null } {
  const last = body.messages?.at(-1);
  if (body.tools?.length && last?.role !== 'tool' && body.tool_choice !== 'none') {
    return { content: null, toolCalls: body.tools.slice(0, 1).map((tool, index) => ({ id: 'D681PevKs', function: { name: tool.function.name, arguments: '{"city": "Paris", "unit": "celsius"}' }, index })) };
  }
  return { content: last?.role === 'tool' ? 'It is 20 degrees in Paris.' : 'Hello from Mistral', toolCalls: null };
}

/** The fields of Mistral's EmbeddingRequest (docs.mistral.ai/api, endpoint/embeddings); any other is refused. */
const embeddingFields = new Set(['model', 'input', 'output_dimension', 'output_dtype', 'encoding_format', 'metadata']);

/** Mistral's /v1/embeddings: closed schema (422 extra_forbidden), text inputs only, `output_dimension` values long, floats or base64 float32. */
function answerEmbeddings(body: Record<string, unknown>, response: ServerResponse): void {
  const issues: Issue[] = [];
  for (const [field, value] of Object.entries(body)) if (!embeddingFields.has(field)) issues.push({ type: 'extra_forbidden', loc: ['body', field], msg: 'Extra inputs are not permitted', input: value });
  const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) ? (body.input as unknown[]) : [];
  inputs.forEach((item, index) => {
    if (typeof item !== 'string') issues.push({ type: 'string_type', loc: ['body', 'input', index], msg: 'Input should be a valid string', input: item });
  });
  if (issues.length > 0) return sendJson(response, 422, { object: 'error', message: { detail: issues }, type: 'invalid_request_error', param: null, code: null });
  const size = typeof body.output_dimension === 'number' ? body.output_dimension : 3;
  const vector = (index: number) => Array.from({ length: size }, (_, position) => (index + 1) / (position + 2));
  // base64: the float32 bytes, as OpenAI encodes them.
  const encode = (values: number[]) => (body.encoding_format === 'base64' ? Buffer.from(new Float32Array(values).buffer).toString('base64') : values);
  const data = inputs.map((_, index) => ({ object: 'embedding', index, embedding: encode(vector(index)) }));
  sendJson(response, 200, { id: 'embd-test', object: 'list', data, model: body.model, usage: { prompt_tokens: inputs.length * 2, total_tokens: inputs.length * 2 } });
}

/** Answers like Mistral's chat endpoint; `onRequest` may answer first (return true) for a test's own scenario. */
export function mistralStandIn(onRequest?: (request: RecordedRequest, response: ServerResponse) => boolean): StandInHandler {
  return (request, response) => {
    if (onRequest?.(request, response)) return;
    if (request.headers.authorization !== `Bearer ${mistralKey}`) return sendJson(response, 401, { detail: 'Unauthorized' });
    if (request.path === '/v1/embeddings') return answerEmbeddings(request.json as Record<string, unknown>, response);
    if (request.path !== '/v1/chat/completions') return sendJson(response, 404, { detail: 'Not Found' });
    const body = request.json as Body & Record<string, unknown>;
    const issues = validate(body);
    if (issues.length > 0) return sendJson(response, 422, { object: 'error', message: { detail: issues }, type: 'invalid_request_error', param: null, code: null });
    const order = orderError(body.messages ?? []);
    if (order !== undefined) return sendJson(response, 400, { object: 'error', ...order, param: null });
    const badId = badToolCallId(body.messages ?? []);
    if (badId !== undefined) return sendJson(response, 400, { object: 'error', message: `Tool call id was ${badId} but must be a-z, A-Z, 0-9, with a length of 9.`, type: 'invalid_function_call', param: null, code: '3280' });

    const model = String(body.model);
    const { content, toolCalls } = answer(body);
    const finish = toolCalls ? 'tool_calls' : model === 'model-length' ? 'model_length' : 'stop';
    const head = { id: 'cmpl-e5cc70bb28c444948073e77776eb30ef', created: 1702256327, model };
    const magistral = model.startsWith('magistral');
    if (!body.stream) {
      const messageContent = magistral ? [{ type: 'thinking', thinking: [{ type: 'text', text: 'The user greets me. ' }, { type: 'text', text: 'I greet back.' }] }, { type: 'text', text: content }] : (content ?? '');
      return sendJson(response, 200, { ...head, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', tool_calls: toolCalls, content: messageContent, prefix: false }, finish_reason: finish }], usage });
    }
    const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra: Record<string, unknown> = {}) => ({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra });
    const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
    if (magistral) {
      events.push(chunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'The user greets me. ' }] }] }));
      events.push(chunk({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'I greet back.' }] }] }));
      events.push(chunk({ content: [{ type: 'text', text: 'Hello ' }] }));
      events.push(chunk({ content: 'from Mistral' }));
    } else if (toolCalls) {
      events.push(chunk({ tool_calls: toolCalls }));
    } else {
      for (const piece of (content ?? '').match(/.{1,6}/gs) ?? []) events.push(chunk({ content: piece }));
    }
    events.push(chunk({ content: '' }, finish, { usage }));
    events.push('[DONE]');
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'mistral-correlation-id': '0199-test' });
    response.end(sseBody(events));
  };
}
