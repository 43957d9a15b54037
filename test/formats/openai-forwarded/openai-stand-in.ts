import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';

/** The audio the speech stand-in sends: every byte value, so a re-encoding anywhere would show. */
export const speechBytes = Buffer.from(Array.from({ length: 96 * 1024 }, (_, index) => (index * 7 + 3) % 256));

export const moderationResult = {
  id: 'modr-1',
  model: 'omni-moderation-latest',
  results: [{ flagged: false, categories: { hate: false, violence: false }, category_scores: { hate: 0.001, violence: 0.002 }, category_applied_input_types: { hate: ['text'], violence: ['text'] } }],
};

export const imageUsage = { input_tokens: 12, output_tokens: 40, total_tokens: 52, input_tokens_details: { image_tokens: 0, text_tokens: 12 } };
export const transcriptionUsage = { type: 'tokens', input_tokens: 30, output_tokens: 5, total_tokens: 35, input_token_details: { audio_tokens: 30, text_tokens: 0 } };

let releaseGatedSpeech: (() => void) | null = null;

/**
 * Speech for the model `tts-gated` sends its first piece and then waits for this: a test that got
 * that piece through the gateway before calling it has seen the audio forwarded as it streams.
 */
export function releaseSpeech(): void {
  releaseGatedSpeech?.();
}

/** The fields and file of a multipart body, read with undici's own form parser (not the gateway's). */
export async function readForm(request: RecordedRequest): Promise<FormData> {
  return new Response(new Uint8Array(request.bytes), { headers: { 'content-type': String(request.headers['content-type']) } }).formData();
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The model a request names: the JSON body's, or the form's. */
async function modelOf(request: RecordedRequest): Promise<string> {
  if (request.path.includes('/audio/transcriptions') || request.path.includes('/audio/translations') || request.path.includes('/images/edits')) return String((await readForm(request)).get('model'));
  return String((request.json as { model?: unknown } | undefined)?.model);
}

/**
 * An OpenAI-format provider for the forwarded endpoints, answering by path like OpenAI does. A
 * model named `fail-500` or `busy-429` gets that error (the 429 with Retry-After); `leaky-401` a
 * 401 whose message repeats the API key it was sent.
 */
export async function answerLikeOpenAI(request: RecordedRequest, response: ServerResponse): Promise<void> {
  const model = await modelOf(request);
  if (model === 'fail-500') return json(response, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
  if (model === 'leaky-401') return json(response, 401, { error: { message: `Incorrect API key provided: ${String(request.headers.authorization).slice(7)}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
  if (model === 'busy-429') return json(response, 429, { error: { message: 'Rate limit reached for requests.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '7', 'x-ratelimit-remaining-requests': '0' });
  const path = request.path.replace(/\?.*$/, '');
  if (path.endsWith('/moderations')) return json(response, 200, { ...moderationResult, model }, { 'x-ratelimit-remaining-requests': '99' });
  if (path.endsWith('/images/generations')) return json(response, 200, { created: 1_760_000_000, data: [{ b64_json: Buffer.from(`image of ${(request.json as { prompt: string }).prompt}`).toString('base64') }], usage: imageUsage });
  if (path.endsWith('/images/edits')) {
    const form = await readForm(request);
    const images = [...form.getAll('image'), ...form.getAll('image[]')] as File[];
    return json(response, 200, { created: 1_760_000_000, data: [{ b64_json: Buffer.from(`${images.length} image(s) edited: ${String(form.get('prompt'))}`).toString('base64') }], usage: imageUsage });
  }
  if (path.endsWith('/audio/speech')) {
    response.writeHead(200, { 'content-type': 'audio/mpeg' });
    if (model === 'tts-gated') {
      response.write(speechBytes.subarray(0, 1024));
      await new Promise<void>((resolve) => (releaseGatedSpeech = resolve));
      response.end(speechBytes.subarray(1024));
      return;
    }
    // In pieces with pauses: the gateway must forward them as they come.
    for (let offset = 0; offset < speechBytes.length; offset += 32 * 1024) {
      response.write(speechBytes.subarray(offset, offset + 32 * 1024));
      await sleep(5);
    }
    response.end();
    return;
  }
  if (path.endsWith('/audio/transcriptions') || path.endsWith('/audio/translations')) {
    const form = await readForm(request);
    if (form.get('response_format') === 'text') {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('hello from the audio\n');
      return;
    }
    return json(response, 200, path.endsWith('/audio/transcriptions') ? { text: 'hello from the audio', usage: transcriptionUsage } : { text: 'hello in English' });
  }
  json(response, 404, { error: { message: `no route ${request.path}`, type: 'invalid_request_error', param: null, code: null } });
}
