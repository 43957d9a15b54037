import { EventStreamCodec, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One decoded message of an AWS event stream (application/vnd.amazon.eventstream). */
export interface EventStreamMessage {
  /** `event`, `exception` (a modelled error, e.g. throttlingException) or `error` (an unmodelled one). */
  messageType: string;
  /** :event-type of an event (messageStart, contentBlockDelta, ...). */
  eventType: string | undefined;
  /** :exception-type of an exception, or :error-code of an error. */
  errorType: string | undefined;
  /** The payload as text (JSON for Converse); for an `error`, its :error-message header. */
  payload: string;
}

/** The prelude: total length (4 bytes), headers length (4), prelude CRC (4); the message CRC (4) ends the message. */
const preludeBytes = 12;
const minimumMessageBytes = 16;
/** AWS caps an event-stream message at 16 MiB; a larger length means the bytes are not a stream. */
const maximumMessageBytes = 16 * 1024 * 1024 + minimumMessageBytes;

function headerText(headers: MessageHeaders, name: string): string | undefined {
  const header = headers[name];
  return header && header.type === 'string' ? header.value : undefined;
}

function toEventStreamMessage(message: Message): EventStreamMessage {
  const messageType = headerText(message.headers, ':message-type') ?? 'event';
  if (messageType === 'error') {
    return { messageType, eventType: undefined, errorType: headerText(message.headers, ':error-code'), payload: JSON.stringify({ message: headerText(message.headers, ':error-message') ?? '' }) };
  }
  return {
    messageType,
    eventType: headerText(message.headers, ':event-type'),
    errorType: headerText(message.headers, ':exception-type'),
    payload: toUtf8(message.body),
  };
}

/** The framing is broken: the bytes cannot be read as messages (the caller maps it to a bad-response error). */
export class EventStreamFramingError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'EventStreamFramingError';
  }
}

/**
 * Splits an AWS event-stream body into whole messages, whatever the pieces TCP delivers (a
 * prelude or a multi-byte character may straddle two pieces), and decodes each with smithy's
 * codec, which checks both CRCs. The codec decodes one whole message at a time, so the splitting
 * by the prelude's total length is done here; a message's payload is only turned into text once
 * it is whole, so characters are never cut.
 */
export class EventStreamDecoder {
  readonly #codec = new EventStreamCodec(toUtf8, fromUtf8);
  #pending: Buffer = Buffer.alloc(0);

  /** The messages a piece completes (possibly none). Throws EventStreamFramingError or the codec's checksum error. */
  push(piece: Uint8Array): EventStreamMessage[] {
    const messages: EventStreamMessage[] = [];
    this.pushEach(piece, (message) => messages.push(message));
    return messages;
  }

  /**
   * Hands each message a piece completes to `onMessage` as soon as it is decoded, so the messages
   * before a broken one are not lost with it; then throws as push() does.
   */
  pushEach(piece: Uint8Array, onMessage: (message: EventStreamMessage) => void): void {
    this.#pending = this.#pending.length === 0 ? Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength) : Buffer.concat([this.#pending, piece]);
    let offset = 0;
    try {
      while (this.#pending.length - offset >= preludeBytes) {
        const totalLength = this.#pending.readUInt32BE(offset);
        if (totalLength < minimumMessageBytes || totalLength > maximumMessageBytes) throw new EventStreamFramingError(`a message declares ${totalLength} bytes`);
        if (this.#pending.length - offset < totalLength) break;
        const message = toEventStreamMessage(this.#codec.decode(this.#pending.subarray(offset, offset + totalLength)));
        offset += totalLength;
        onMessage(message);
      }
    } finally {
      // Keep only the unfinished message, copied so the pieces it came from can be freed.
      this.#pending = offset === this.#pending.length ? Buffer.alloc(0) : Buffer.from(this.#pending.subarray(offset));
    }
  }

  /** The body ended: bytes of an unfinished message mean it was cut off. */
  end(): void {
    if (this.#pending.length > 0) throw new EventStreamFramingError(`the stream ended inside a message (${this.#pending.length} bytes left)`);
  }
}
