import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ChatChunk } from '../../../src/canonical/chat.ts';
import { mapCohereError } from '../../../src/providers/cohere/cohere-error.ts';
import { mapCohereStream } from '../../../src/providers/cohere/cohere-stream-mapper.ts';
import type { CohereResponseContext } from '../../../src/providers/cohere/convert-cohere-response.ts';

/** Raw bytes of a Cohere fixture (test/fixtures/cohere/), written from Cohere's API reference. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/cohere/${name}`, import.meta.url));
}

/** A fixture parsed as JSON. */
export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** A deterministic response context. */
export function testContext(model = 'command-a-03-2025'): CohereResponseContext {
  return { id: 'chatcmpl-test', model, created: 1_700_000_000, provider: 'cohere' };
}

export const streamFixtureNames = ['stream-text', 'stream-tool-call', 'stream-thinking', 'stream-error'];

/** What a stream maps to: its chunks, then the error that ended it (if any), as plain data to compare. */
export interface MappedStream {
  chunks: ChatChunk[];
  error: { status: number; code: string; message: string } | null;
}

/** Maps a body delivered in the given pieces (each piece one TCP read). */
export async function mapPieces(pieces: Buffer[]): Promise<MappedStream> {
  const chunks: ChatChunk[] = [];
  const mapError = (status: number, text: string) => mapCohereError('cohere', status, {}, text);
  try {
    for await (const chunk of mapCohereStream(Readable.from(pieces, { objectMode: false }), testContext(), mapError)) chunks.push(chunk);
    return { chunks, error: null };
  } catch (error) {
    const failure = error as { status: number; code: string; message: string };
    return { chunks, error: { status: failure.status, code: failure.code, message: failure.message } };
  }
}

/** The text a list of chunks streams as content. */
export function contentOf(chunks: ChatChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}
