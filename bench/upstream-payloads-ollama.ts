import { answer, tailPerChunkCount, word, type StreamPayload } from './upstream-payloads.ts';

/**
 * The stand-in's Ollama chat answers (`POST /api/chat`), shaped as Ollama sends them (see
 * test/fixtures/ollama/): one JSON object, or NDJSON (one object a line) whose last line has
 * `done: true`, the done reason and the token counts.
 */

const model = 'llama3.2';
const createdAt = '2025-12-03T08:00:00.000000000Z';

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** Ollama's timings (nanoseconds) and token counts, on the final object of every answer. */
function counts(evalCount: number): Record<string, unknown> {
  return { total_duration: 498_347_000, load_duration: 2_031_500, prompt_eval_count: 24, prompt_eval_duration: 61_200_000, eval_count: evalCount, eval_duration: 431_908_000 };
}

/** Ollama chat response (`"stream": false`). */
export const ollamaJson = Buffer.from(
  JSON.stringify({ model, created_at: createdAt, message: { role: 'assistant', content: answer }, done_reason: 'stop', done: true, ...counts(12) }),
);

/**
 * An Ollama chat stream. Ollama has no role-only event: its first line already carries text, as the
 * content lines do; the last line has empty content and `done: true`.
 */
export const ollamaStream: StreamPayload = {
  first: Buffer.from(line({ model, created_at: createdAt, message: { role: 'assistant', content: 'Hello!' }, done: false })),
  content: Buffer.from(line({ model, created_at: createdAt, message: { role: 'assistant', content: word }, done: false })),
  end: tailPerChunkCount((chunks) => Buffer.from(line({ model, created_at: createdAt, message: { role: 'assistant', content: '' }, done_reason: 'stop', done: true, ...counts(chunks + 1) }))),
};
