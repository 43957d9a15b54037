import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { answer, tailPerChunkCount, word, type StreamPayload } from './upstream-payloads.ts';

/**
 * The stand-in's Bedrock Converse answers, shaped as Bedrock Runtime sends them (see
 * test/fixtures/bedrock/): `POST /model/<id>/converse` as JSON, and `/converse-stream` as AWS
 * binary event-stream frames (length preludes, headers, CRCs), encoded here once at start with the
 * same codec AWS's SDKs use. A stream ends with messageStop and a metadata event with the usage.
 */

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function text(value: string): { type: 'string'; value: string } {
  return { type: 'string', value };
}

/**
 * One event frame. AWS pads every event with a `p` field of varying length (so sizes do not reveal
 * the text); the padding is kept so that the gateway decodes frames of a real size.
 */
function frame(eventType: string, payload: Record<string, unknown>): Uint8Array {
  const headers: MessageHeaders = { ':event-type': text(eventType), ':content-type': text('application/json'), ':message-type': text('event') };
  return codec.encode({ headers, body: fromUtf8(JSON.stringify({ ...payload, p: 'abcdefghijklmnopqrstuvwxyzABCD'.slice(0, 4 + (eventType.length % 20)) })) });
}

/** Converse response (non-streaming). */
export const bedrockJson = Buffer.from(
  JSON.stringify({
    output: { message: { role: 'assistant', content: [{ text: answer }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 24, outputTokens: 12, totalTokens: 36, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    metrics: { latencyMs: 612 },
  }),
);

/** A ConverseStream: messageStart, contentBlockDelta repeated, then contentBlockStop, messageStop and metadata. */
export const bedrockStream: StreamPayload = {
  first: Buffer.from(frame('messageStart', { role: 'assistant' })),
  content: Buffer.from(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: word } })),
  end: tailPerChunkCount((chunks) =>
    Buffer.concat([
      frame('contentBlockStop', { contentBlockIndex: 0 }),
      frame('messageStop', { stopReason: 'end_turn' }),
      frame('metadata', { usage: { inputTokens: 24, outputTokens: chunks, totalTokens: 24 + chunks }, metrics: { latencyMs: 734 } }),
    ]),
  ),
};
