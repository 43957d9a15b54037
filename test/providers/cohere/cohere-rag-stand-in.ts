import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

/**
 * A stand-in for Cohere's POST /v2/chat that answers as Cohere's API reference says it does for
 * RAG: it refuses a body field Cohere does not take (400 with Cohere's `{id, message}` body),
 * answers grounded in the request's `documents` with `message.citations` pointing into the text
 * (each citation: start, end, text, sources of type document with the document's id), cites tool
 * results with sources of type tool, writes no citations under `citation_options.mode: OFF`, and
 * streams the same answer as typed SSE events, the citations as `citation-start` (one citation
 * per event) and `citation-end` after the text.
 */

/** The top-level fields of Cohere's v2 chat request. */
const cohereChatFields = new Set(['model', 'messages', 'tools', 'documents', 'citation_options', 'response_format', 'safety_mode', 'max_tokens', 'stop_sequences', 'temperature', 'seed', 'frequency_penalty', 'presence_penalty', 'k', 'p', 'logprobs', 'tool_choice', 'strict_tools', 'stream', 'thinking', 'priority']);

export const usage = { billed_units: { input_tokens: 12, output_tokens: 9 }, tokens: { input_tokens: 480, output_tokens: 9 } };

interface Citation {
  start: number;
  end: number;
  text: string;
  sources: Array<Record<string, unknown>>;
  type: 'TEXT_CONTENT';
}

interface ChatBody {
  messages?: Array<{ role: string; content?: unknown; tool_call_id?: string }>;
  documents?: unknown[];
  citation_options?: { mode?: string };
  stream?: boolean;
}

/** The answer: the first document's text quoted (or a tool result's, or a greeting), with what cites it. */
export function answerFor(body: ChatBody): { text: string; citations: Citation[] } {
  const documents = body.documents ?? [];
  const toolResult = (body.messages ?? []).find((message) => message.role === 'tool');
  let quoted: string | undefined;
  let source: Record<string, unknown> | undefined;
  if (documents.length > 0) {
    const first = documents[0];
    const id = typeof first === 'object' && first !== null && typeof (first as { id?: unknown }).id === 'string' ? (first as { id: string }).id : 'doc:0';
    const data = typeof first === 'string' ? first : (first as { data: unknown }).data;
    quoted = typeof data === 'string' ? data : String((data as { text?: unknown }).text ?? JSON.stringify(data));
    source = { type: 'document', id, document: typeof data === 'string' ? { id, content: data } : { id, ...(data as object) } };
  } else if (toolResult) {
    quoted = String(toolResult.content);
    source = { type: 'tool', id: `${toolResult.tool_call_id}:0`, tool_output: { content: quoted } };
  }
  if (quoted === undefined || source === undefined) return { text: 'Hello from Cohere.', citations: [] };
  const prefix = 'The sources say: ';
  const text = `${prefix}${quoted}`;
  const citations: Citation[] = body.citation_options?.mode === 'OFF' ? [] : [{ start: prefix.length, end: text.length, text: quoted, sources: [source], type: 'TEXT_CONTENT' }];
  return { text, citations };
}

function event(name: string, data: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
}

/** The answer as Cohere streams it: the text in pieces, then each citation, then message-end. */
function streamOf(text: string, citations: Citation[]): string {
  const pieces = [text.slice(0, 7), text.slice(7, 20), text.slice(20)].filter((piece) => piece !== '');
  return [
    event('message-start', { id: 'c-rag', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } }),
    event('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } }),
    ...pieces.map((piece) => event('content-delta', { index: 0, delta: { message: { content: { text: piece } } } })),
    ...citations.flatMap((citation, index) => [event('citation-start', { index, delta: { message: { citations: citation } } }), event('citation-end', { index })]),
    event('content-end', { index: 0 }),
    event('message-end', { delta: { finish_reason: 'COMPLETE', usage } }),
  ].join('');
}

export function cohereRagStandIn(request: RecordedRequest, response: ServerResponse): void {
  const body = request.json as ChatBody & Record<string, unknown>;
  const unknown = Object.keys(body).filter((field) => !cohereChatFields.has(field));
  if (unknown.length > 0) {
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'err-1', message: `invalid request: unknown field(s) ${unknown.join(', ')}` }));
    return;
  }
  const { text, citations } = answerFor(body);
  if (body.stream === true) {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end(streamOf(text, citations));
    return;
  }
  const message: Record<string, unknown> = { role: 'assistant', content: [{ type: 'text', text }] };
  if (citations.length > 0) message.citations = citations;
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ id: 'c-rag', finish_reason: 'COMPLETE', message, usage }));
}
