import OpenAI from 'openai';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

/** Counts of the stand-in's calls by path. */
export function callsTo(upstream: StandIn, path: string): number {
  return upstream.requests.filter((request) => request.path.endsWith(path)).length;
}

function chunk(delta: object, finish: string | null = null) {
  return { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

/**
 * An OpenAI-compatible stand-in: chat answers with a numbered reply (so a cached answer is told
 * apart from a fresh one), streams when asked, and answers embeddings.
 */
export async function startOpenAIStandIn(): Promise<StandIn> {
  let served = 0;
  return startStandIn((request, response) => {
    served++;
    const body = request.json as { stream?: boolean; input?: unknown };
    if (request.path.endsWith('/embeddings')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, served] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } }));
      return;
    }
    const answer = `answer #${served}`;
    if (body.stream) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([chunk({ role: 'assistant', content: '' }), chunk({ content: answer }), chunk({}, 'stop'), '[DONE]']));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: `chatcmpl-${served}`,
        object: 'chat.completion',
        created: 1700000000,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }),
    );
  });
}

export function client(baseURL: string, apiKey = 'x', headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, defaultHeaders: headers });
}

/** One chat completion; returns the answer text and the cache header. */
export async function ask(openai: OpenAI, content: string, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}, headers: Record<string, string> = {}): Promise<{ text: string; cache: string | null; age: string | null; body: OpenAI.Chat.ChatCompletion }> {
  const { data, response } = await openai.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }], ...extra }, { headers }).withResponse();
  return { text: data.choices[0].message.content ?? '', cache: response.headers.get('x-tollgate-cache'), age: response.headers.get('age'), body: data };
}

export function openAIEnv(upstream: StandIn): NodeJS.ProcessEnv {
  return { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${upstream.url}/v1` };
}
