import { withoutAccountIds, withoutSecrets } from '../providers/without-secrets.ts';

/** `"error"`: both OpenAI's error event (`{"error":{…}}`) and Anthropic's (`"type":"error","error":{…}`) carry it; JSON-encoded output text cannot (its quotes are escaped). */
const errorMarker = Buffer.from('"error"');
const eventEnd = Buffer.from('\n\n');
const eventEndCrLf = Buffer.from('\r\n\r\n');
/** An "event" that never ends (a stream that is no SSE) is not held for ever: past this it goes on, scrubbed. */
const holdLimitBytes = 1024 * 1024;

/**
 * Redacts the provider credentials a passed-through stream's error event may quote, without parsing
 * every event: a piece is only searched for `"error"` (with the last few bytes of the previous piece,
 * so a marker cut between two pieces is seen), which a normal stream never contains. From a marker
 * on, bytes are held until the event ends (a blank line) and the held text goes through
 * withoutSecrets (whole keys and masked ones, as for errors outside streams): the error comes after
 * its marker, so a key cut between pieces is whole in the held text. The operator's account ids
 * (`org-…`, `proj_…`) go too, as from errors outside streams.
 */
export class StreamSecretScrubber {
  readonly #secrets: readonly string[];
  /** The last bytes of the previous piece sent (a marker may start in them). */
  #tail: Buffer = Buffer.alloc(0);
  /** Bytes held from a marker on, until their event ends. */
  #held: Buffer[] = [];

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** A scrubber for these credentials, or null when none is long enough to hide (withoutSecrets skips those under 4 characters). */
  static for(secrets: ReadonlyArray<string | undefined> | undefined): StreamSecretScrubber | null {
    const kept = (secrets ?? []).filter((secret): secret is string => secret !== undefined && secret.length >= 4);
    return kept.length === 0 ? null : new StreamSecretScrubber(kept);
  }

  /** What to send for this piece (possibly nothing yet, or held bytes before it). */
  push(piece: Buffer): Buffer {
    if (this.#held.length > 0) {
      this.#held.push(piece);
      return this.#releaseEnded();
    }
    let at = piece.indexOf(errorMarker);
    if (at === -1 && this.#tail.length > 0) {
      // A marker cut between the previous piece (already sent) and this one: hold from this piece on.
      const joined = Buffer.concat([this.#tail, piece.subarray(0, errorMarker.length - 1)]);
      if (joined.indexOf(errorMarker) !== -1) at = 0;
    }
    if (at === -1) {
      this.#tail = piece.length >= errorMarker.length - 1 ? piece.subarray(piece.length - (errorMarker.length - 1)) : Buffer.concat([this.#tail, piece]).subarray(-(errorMarker.length - 1));
      return piece;
    }
    // Events before the marker's go on now; from the marker's event on, bytes are held.
    const start = Math.max(piece.lastIndexOf(eventEnd, at), piece.lastIndexOf(eventEndCrLf, at));
    const cut = start === -1 ? 0 : start + (piece[start] === 0x0d ? eventEndCrLf.length : eventEnd.length);
    this.#held.push(piece.subarray(cut));
    const released = this.#releaseEnded();
    return cut === 0 ? released : Buffer.concat([piece.subarray(0, cut), released]);
  }

  /** Whatever is still held at the end of the stream, scrubbed. */
  end(): Buffer {
    if (this.#held.length === 0) return Buffer.alloc(0);
    const rest = this.#scrub(Buffer.concat(this.#held));
    this.#held = [];
    return rest;
  }

  /** Sends the held event once it has ended, scrubbed; what follows it is looked at as a new piece. */
  #releaseEnded(): Buffer {
    const held = this.#held.length === 1 ? this.#held[0]! : Buffer.concat(this.#held);
    const lf = held.indexOf(eventEnd);
    const crlf = held.indexOf(eventEndCrLf);
    const ends = lf === -1 ? (crlf === -1 ? -1 : crlf + eventEndCrLf.length) : crlf !== -1 && crlf < lf ? crlf + eventEndCrLf.length : lf + eventEnd.length;
    if (ends === -1) {
      if (held.length > holdLimitBytes) {
        this.#held = [];
        return this.#scrub(held);
      }
      this.#held = [held];
      return Buffer.alloc(0);
    }
    this.#held = [];
    this.#tail = Buffer.alloc(0);
    const event = this.#scrub(held.subarray(0, ends));
    const rest = held.subarray(ends);
    return rest.length === 0 ? event : Buffer.concat([event, this.push(rest)]);
  }

  #scrub(bytes: Buffer): Buffer {
    const text = bytes.toString('utf8');
    const clean = withoutAccountIds(withoutSecrets(text, this.#secrets));
    return clean === text ? bytes : Buffer.from(clean, 'utf8');
  }

  /** The same for one event's data, already parsed out of the stream (plugins that rewrite events, translated streams). */
  scrubEvent(data: string): string {
    return data.includes('"error"') ? withoutAccountIds(withoutSecrets(data, this.#secrets)) : data;
  }
}
