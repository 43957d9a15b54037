import type { ServerResponse } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import type { GatewayError } from '../errors/gateway-error.ts';
import { usageOfResponseBody } from '../formats/openai-responses/map-from-responses-usage.ts';
import { ResponsesStreamTracker } from '../formats/openai-responses/responses-stream-tracker.ts';
import type { PassthroughReply, ProviderReply } from '../providers/provider.ts';
import { forwardBytes } from '../server/forward-bytes.ts';
import { startEventStream, writeEventBytes } from '../server/write-response.ts';
import { bodyStream } from '../upstream/read-body.ts';
import { mapUpstreamError } from '../upstream/upstream-client.ts';
import type { CompiledPipeline } from './compile-pipeline.ts';
import type { RequestContext } from './context.ts';
import { deliverWholeAnswer } from './deliver-forwarded-reply.ts';
import { deliverReply, endStreamWithError } from './deliver-reply.ts';
import { nativeResponsesOf } from './native-responses.ts';
import { replyHeaders } from './reply-headers.ts';
import { StreamSecretScrubber } from './stream-secret-scrubber.ts';
import { UsageChunkFilter } from './usage-chunk-filter.ts';

/**
 * Writes a Responses request's reply: a translated one as deliverReply does, a native one
 * (native-responses.ts) as the provider sent it. A native Response (JSON) comes back as its bytes
 * with its status, as a forwarded endpoint's whole answer (deliverWholeAnswer: the cost plugin's
 * x-tollgate-cost-usd from its usage); a native event stream goes on in whole
 * events as they arrive, its usage read from `response.completed` / `.incomplete` / `.failed`.
 * Response and chunk plugins understand chat's shapes only and do not run on native answers.
 */
export async function deliverResponsesReply(ctx: RequestContext, reply: ProviderReply, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  if (nativeResponsesOf(ctx) === undefined) return deliverReply(ctx, reply, pipeline, response, headers);
  if (reply.kind !== 'passthrough') throw errors.internal();
  if (Buffer.isBuffer(reply.body) && !reply.stream) {
    ctx.upstreamFirstByteAt ||= performance.now();
    return deliverWholeAnswer(ctx, reply, reply.body, pipeline, response, headers, usageOfResponseBody, reply.headers['content-type'] ?? 'application/json');
  }
  return deliverStream(ctx, reply, response, headers);
}

async function deliverStream(ctx: RequestContext, reply: PassthroughReply, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  const provider = ctx.target?.provider.settings.name ?? 'upstream';
  ctx.status = reply.status;
  startEventStream(response, reply.status, replyHeaders(reply.headers, ctx.responseHeaders, headers, { contentType: false }));
  const tracker = new ResponsesStreamTracker();
  // Whole events only: a stream cut in the middle of one has sent none of it, so the error event stands alone.
  const events = new UsageChunkFilter(false);
  // A provider key an error event quotes after the stream has started.
  const scrubber = StreamSecretScrubber.for([ctx.upstreamCredential]);
  const send = (piece: Buffer, write: (data: Buffer) => void): void => {
    const clean = scrubber === null ? piece : scrubber.push(piece);
    if (clean.length === 0) return;
    tracker.push(clean);
    const out = events.push(clean);
    ctx.bytesOut += out.length;
    write(out);
  };
  try {
    await forwardBytes(bodyStream(reply.body), response, (piece, write) => {
      ctx.upstreamFirstByteAt ||= performance.now();
      send(piece, write);
    });
    const rest = scrubber?.end();
    if (rest !== undefined && rest.length > 0) send(rest, (data) => writeEventBytes(response, data));
    tracker.end();
    const last = events.end();
    if (last.length > 0 && !response.destroyed) {
      ctx.bytesOut += last.length;
      writeEventBytes(response, last);
    }
    if (!tracker.finished && tracker.failure === null && !response.destroyed) throw errors.upstreamBadResponse(provider, 'the stream ended before the response was finished (no response.completed)');
    // The provider's own failure passed through as its event: the call failed.
    if (tracker.failure !== null && ctx.error === null) ctx.error = errors.upstreamStreamError(tracker.failure.message, tracker.failure.code);
  } catch (error) {
    await endStreamWithError(ctx, response, mapUpstreamError(error, provider, ctx.signal), (gatewayError) => responsesErrorEvent(gatewayError, tracker.lastSequenceNumber + 1));
  }
  ctx.usage = tracker.usage;
  ctx.streamedOutputEvents = tracker.outputEvents;
  if (!response.destroyed) response.end();
}

/** A Responses `error` event (`code`, `message`, `param`, the next `sequence_number`), which the SDKs raise. */
function responsesErrorEvent(error: GatewayError, sequenceNumber: number): string {
  return `event: error\ndata: ${JSON.stringify({ type: 'error', code: error.code, message: error.message, param: error.param, sequence_number: sequenceNumber })}\n\n`;
}
