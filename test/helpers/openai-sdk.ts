import assert from 'node:assert/strict';
import { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';

/** Reads an SDK stream to its end. */
export async function collect<Chunk>(stream: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/**
 * Reads an OpenAI SDK chat stream that must end in an error, checks that error with `expected`
 * (as `assert.rejects` does) and returns the text streamed before it: an in-stream failure must
 * still deliver what came first.
 */
export async function textBeforeError(stream: AsyncIterable<ChatCompletionChunk>, expected: (error: unknown) => boolean): Promise<string> {
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })(),
    expected,
  );
  return seen.join('');
}

/** An `assert.rejects` check: the SDK's APIError with this status, OpenAI error code and type. */
export function isApiError(status: number, code: string, type: string): (error: unknown) => true {
  return (error: unknown) => {
    assert.ok(error instanceof APIError, String(error));
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.equal((error.error as { type?: string }).type, type);
    return true;
  };
}

/** A plain function tool as an OpenAI client sends it (no strict mode), for providers that take it as is. */
export const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city', 'unit'] } },
};

/** The SDK's APIError a call ends with; fails the test when the call succeeds. */
export async function refusal(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  assert.fail('expected the gateway to refuse');
}
