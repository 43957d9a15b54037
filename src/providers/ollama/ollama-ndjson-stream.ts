import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { translatePieces } from '../../upstream/translate-pieces.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import { NdjsonLines } from './ndjson-lines.ts';
import type { PieceInput } from '../../upstream/each-piece.ts';

/** Maps an error line inside the stream (`{"error":"..."}`) to a GatewayError. */
export type StreamErrorMapper = (status: number, bodyText: string) => GatewayError;

/** Turns the objects of one Ollama stream (/api/chat or /api/generate lines) into the chunks a client gets. */
export interface OllamaLineMapper<Line, Chunk> {
  /** One line's object; the chunks it makes (possibly none). */
  push(line: Line): Chunk[];
  /** The body ended: the chunks still to come (throws when the stream was cut short). */
  end(): Chunk[];
}

/**
 * Reads an Ollama NDJSON body (bytes split anywhere) and yields the mapper's chunks, each piece
 * mapped as it arrives (translatePieces, upstream/translate-pieces.ts). An error line carries no
 * status: it is mapped as a 500 and thrown, which the gateway reports in-stream; unreadable JSON
 * is a bad response; a network failure of the body becomes the gateway error for it.
 */
export function mapOllamaLines<Line extends { error?: unknown }, Chunk>(body: PieceInput, mapper: OllamaLineMapper<Line, Chunk>, provider: string, mapError: StreamErrorMapper, signal?: AbortSignal): AsyncIterableIterator<Chunk> {
  const lines = new NdjsonLines();
  const each = (texts: string[], emit: (chunk: Chunk) => void) => {
    for (const text of texts) {
      let line: Line;
      try {
        line = JSON.parse(text) as Line;
      } catch {
        throw errors.upstreamBadResponse(provider, 'a stream line is not JSON');
      }
      if (line.error !== undefined) throw mapError(500, text);
      for (const chunk of mapper.push(line)) emit(chunk);
    }
  };
  return translatePieces(body, {
    piece: (piece, emit) => each(lines.push(typeof piece === 'string' ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)), emit),
    end: (emit) => {
      each(lines.end(), emit);
      for (const chunk of mapper.end()) emit(chunk);
    },
    error: (error) => mapUpstreamError(error, provider, signal),
  });
}
