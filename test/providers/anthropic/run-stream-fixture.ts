import { readFileSync } from 'node:fs';
import type { ChatChunk } from '../../../src/canonical/chat.ts';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { mapAnthropicEventStream } from '../../../src/providers/anthropic/anthropic-stream-mapper.ts';

export const fixturesDirectory = new URL('../../fixtures/anthropic/', import.meta.url);

/** Every stream fixture; all are mapped with JSON mode's tool name so json-tool.sse reads as content. */
export const streamFixtureNames = ['text', 'tool-use', 'thinking', 'json-tool', 'utf8', 'mid-stream-error'];

export interface StreamOutcome {
  chunks: ChatChunk[];
  error: { status: number; type: string; code: string; message: string; upstream: boolean } | null;
}

export function readFixture(path: string): Buffer {
  return readFileSync(new URL(path, fixturesDirectory));
}

export function readJsonFixture<T>(path: string): T {
  return JSON.parse(readFixture(path).toString('utf8')) as T;
}

async function* pieces(parts: Buffer[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}

/** Maps a stream fed as the given byte pieces; a thrown GatewayError is part of the outcome. */
export async function mapPieces(parts: Buffer[]): Promise<StreamOutcome> {
  const chunks: ChatChunk[] = [];
  try {
    for await (const chunk of mapAnthropicEventStream(pieces(parts), { provider: 'anthropic', jsonToolName: 'json_response', created: 1_700_000_000 })) chunks.push(chunk);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { chunks, error: { status: error.status, type: error.type, code: error.code, message: error.message, upstream: error.upstream } };
  }
  return { chunks, error: null };
}
