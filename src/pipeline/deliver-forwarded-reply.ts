import type { ServerResponse } from 'node:http';
import { errors } from '../errors/catalogue.ts';
import { forwardedUsage, forwardedUsageFromJson } from '../formats/openai-forwarded/forwarded-usage.ts';
import type { PassthroughReply, ProviderReply } from '../providers/provider.ts';
import { forwardBytes } from '../server/forward-bytes.ts';
import { writeEventBytes } from '../server/write-response.ts';
import { bodyStream } from '../upstream/read-body.ts';
import { mapUpstreamError } from '../upstream/upstream-client.ts';
import type { CompiledPipeline } from './compile-pipeline.ts';
import type { RequestContext } from './context.ts';
import { StreamUsageTail } from './passthrough-usage.ts';
import { replyHeaders } from './reply-headers.ts';

/**
 * Sends the answer of a forwarded operation (moderations, images, speech, transcriptions, rerank):
 * the provider's bytes with its status and content type, JSON, text, audio or events alike, as
 * they arrive. Response and chunk plugins understand chat's shapes only and do not run here; the
 * usage the answer reports (images, token-billed transcriptions) is read for the log phase, and for
 * an answer read whole, before its headers, by the plugins that price it (onForwardedResponse: cost).
 */
export async function deliverForwardedReply(ctx: RequestContext, reply: ProviderReply, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  // Only providers that speak OpenAI's API serve these operations, and they answer with bytes.
  if (reply.kind !== 'passthrough') throw errors.internal();
  if (Buffer.isBuffer(reply.body)) return deliverWholeAnswer(ctx, reply, reply.body, pipeline, response, headers, forwardedUsageFromJson);
  return deliverStreamed(ctx, reply, response, headers);
}

function contentTypeOf(reply: PassthroughReply): string {
  return reply.headers['content-type'] ?? 'application/octet-stream';
}

/**
 * An answer read whole, sent as the provider's bytes with its status: its usage (`usageOf`, for a
 * JSON answer) read before the headers when a plugin prices it (x-tollgate-cost-usd), else after
 * the answer is sent, for the log phase. Also native Responses answers' (deliver-native-responses-reply.ts).
 */
export function deliverWholeAnswer(ctx: RequestContext, reply: PassthroughReply, body: Buffer, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>, usageOf: (body: Buffer) => RequestContext['usage'], contentType = contentTypeOf(reply)): void {
  ctx.status = reply.status;
  const isJson = contentType.includes('json');
  const hooks = pipeline.onForwardedResponse;
  // The cost goes out in the headers (x-tollgate-cost-usd), as on chat's complete answers, so the
  // usage is read first; with no plugin to price it, after the answer is sent, for the log phase.
  if (hooks !== null) {
    if (isJson) ctx.usage = usageOf(body);
    for (const plugin of hooks) plugin.onForwardedResponse!(ctx);
  }
  response.writeHead(reply.status, { ...replyHeaders(reply.headers, ctx.responseHeaders, headers), 'content-type': contentType, 'content-length': body.length });
  response.end(body);
  ctx.bytesOut = body.length;
  if (hooks === null && isJson) ctx.usage = usageOf(body);
}

async function deliverStreamed(ctx: RequestContext, reply: PassthroughReply, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  const contentType = contentTypeOf(reply);
  const isEventStream = contentType.includes('text/event-stream');
  ctx.status = reply.status;
  response.writeHead(reply.status, { ...replyHeaders(reply.headers, ctx.responseHeaders, headers), 'content-type': contentType, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  response.flushHeaders();
  // Events (image or transcript streams) carry their usage in the last one; audio bytes carry none.
  const tail = isEventStream ? new StreamUsageTail() : null;
  try {
    await forwardBytes(bodyStream(reply.body), response, (piece, send) => {
      tail?.push(piece);
      ctx.bytesOut += piece.length;
      send(piece);
    });
  } catch (error) {
    ctx.error = mapUpstreamError(error, ctx.target?.provider.settings.name ?? 'upstream', ctx.signal);
    // An event stream reports the failure in-stream, as chat does; audio cannot, so it is cut short.
    if (isEventStream && !response.destroyed) {
      const event = `data: ${JSON.stringify(ctx.error.toOpenAIBody())}\n\n`;
      ctx.bytesOut += Buffer.byteLength(event);
      writeEventBytes(response, event);
    } else if (!response.destroyed) {
      response.destroy();
      return;
    }
  }
  if (tail !== null) ctx.usage = forwardedUsage(tail.usage());
  if (!response.destroyed) response.end();
}
