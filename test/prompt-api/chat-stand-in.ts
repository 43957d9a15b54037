import assert from 'node:assert/strict';
import { startStandIn, type StandIn } from '../helpers/stand-in-server.ts';

export interface ChatMessageBody {
  role: string;
  content: unknown;
}

export interface ChatBody {
  model: string;
  messages: ChatMessageBody[];
  [extra: string]: unknown;
}

/**
 * An OpenAI-compatible stand-in whose non-streaming answers come from `answers` in order (the
 * last one repeats; a new array starts again from its first); with no answers it echoes the last
 * user message. Records what it was sent.
 */
export async function startChatStandIn(answers: () => string[] = () => []): Promise<StandIn & { bodies: () => ChatBody[] }> {
  let served = 0;
  let current: string[] | null = null;
  const standIn = await startStandIn((request, response) => {
    const body = request.json as ChatBody;
    const queue = answers();
    if (queue !== current) {
      current = queue;
      served = 0;
    }
    const last = [...body.messages].reverse().find((message) => message.role === 'user');
    const answer = queue.length > 0 ? queue[Math.min(served, queue.length - 1)] : typeof last?.content === 'string' ? last.content : '';
    served++;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: `chatcmpl-${served}`,
        object: 'chat.completion',
        created: 1700000000,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
      }),
    );
  });
  return Object.assign(standIn, { bodies: () => standIn.requests.map((request) => request.json as ChatBody) });
}

/** POSTs JSON with plain fetch; returns the status, headers and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

/** Asserts OpenAI's error shape, the status, type and code; returns the message. */
export function assertOpenAIError(result: { status: number; headers: Headers; json: any }, status: number, type: string, code: string): string {
  assert.equal(result.status, status, JSON.stringify(result.json));
  assert.equal(result.json.error.type, type);
  assert.equal(result.json.error.code, code);
  assert.equal(typeof result.json.error.message, 'string');
  assert.ok('param' in result.json.error);
  assert.ok(result.headers.get('x-request-id'));
  return result.json.error.message as string;
}
