import type { UpstreamBody } from '../upstream/upstream-body.ts';

/** What the start of a stream says: it answers, it failed (the error event's data), or not yet known. */
export type StreamStart = { kind: 'answer' } | { kind: 'error'; data: string } | null;

/** Reads the start of one stream, piece by piece, until it can say which (one per stream). */
export interface StreamStartScanner {
  /** Scans a piece; null while the bytes so far do not decide. */
  push(piece: Buffer): StreamStart;
  /** The stream ended: what the bytes seen say (null is taken as an answer). */
  end(): StreamStart;
}

/**
 * Holds back the start of a stream that is forwarded as bytes until `scanner` can tell an answer
 * from a failure reported as the stream's first event on a 200 (Anthropic's overload after
 * message_start, an OpenAI-format `data: {"error": ...}`). A failure rejects with `onError` of the
 * event's data (thrown by the provider's send, so retries and fallbacks apply, and the client has
 * had no byte of the stream). Otherwise the body comes back with the held bytes put back in front,
 * to be read as if untouched (its next reader gets every byte, in order); a stream that ended
 * before the scanner could tell comes back as the bytes it had. The scanner decides how long the
 * bytes wait; nothing after its verdict is read here.
 */
export function holdStreamStart(body: UpstreamBody, scanner: StreamStartScanner, onError: (eventData: string) => Error, onFailure: (error: unknown) => unknown): Promise<UpstreamBody | Buffer> {
  return new Promise<UpstreamBody | Buffer>((resolve, reject) => {
    const held: Buffer[] = [];
    let heldLength = 0;
    let settled = false;
    const heldBytes = (): Buffer => (held.length === 1 ? held[0]! : Buffer.concat(held, heldLength));
    const decide = (start: StreamStart, ended: boolean): void => {
      if (start === null) return;
      settled = true;
      if (start.kind === 'error') {
        if (!ended) body.destroy();
        reject(onError(start.data));
      } else if (ended) {
        resolve(heldBytes());
      } else {
        body.stopReading();
        body.unshift(heldBytes());
        resolve(body);
      }
    };
    body.read({
      piece: (piece) => {
        if (settled) return;
        held.push(piece);
        heldLength += piece.length;
        let start: StreamStart;
        try {
          start = scanner.push(piece);
        } catch (error) {
          // The scanner's parser refused the bytes (an event past its limit): the call failed.
          settled = true;
          body.destroy();
          reject(onFailure(error));
          return;
        }
        decide(start, false);
      },
      end: () => {
        if (settled) return;
        let start: StreamStart;
        try {
          start = scanner.end();
        } catch (error) {
          settled = true;
          reject(onFailure(error));
          return;
        }
        decide(start, true);
        if (!settled) {
          settled = true;
          resolve(heldBytes());
        }
      },
      error: (error) => {
        if (settled) return;
        settled = true;
        reject(onFailure(error));
      },
    });
  });
}
