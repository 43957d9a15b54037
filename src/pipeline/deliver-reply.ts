import type { ServerResponse } from 'node:http';
import type { ChatRequest, Usage } from '../canonical/chat.ts';
import type { CanonicalChunk, CanonicalResponse } from '../canonical/operation.ts';
import { errors } from '../errors/catalogue.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { anthropicClientEncoder } from '../formats/anthropic/anthropic-client-encoder.ts';
import { convertToAnthropicMessage } from '../formats/anthropic/convert-to-anthropic-message.ts';
import { readOpenAiUsage } from '../formats/openai/read-openai-usage.ts';
import { openAIStreamError } from '../formats/openai/openai-stream-error.ts';
import { AnthropicStreamUsage, anthropicUsageFromJsonBody, decodeAnthropicMessage, decodeAnthropicStream } from '../formats/anthropic/read-anthropic-passthrough.ts';
import { responsesClientEncoder } from '../formats/openai-responses/responses-client-encoder.ts';
import type { PassthroughReply, ProviderReply } from '../providers/provider.ts';
import { ClientStallWatch } from '../server/client-stall-watch.ts';
import { forwardBytes } from '../server/forward-bytes.ts';
import { startEventStream, whenWritable, writeDataEvent, writeEventBytes, writeJson } from '../server/write-response.ts';
import { bodyStream, wholeBody } from '../upstream/read-body.ts';
import type { UpstreamBody } from '../upstream/upstream-body.ts';
import { cutStreamUsage } from '../usage/cut-stream-usage.ts';
import { estimatePromptTokens } from '../usage/estimate-request-tokens.ts';
import { withServiceTier } from '../usage/usage-service-tier.ts';
import { clientStallLimit, isClientStall } from '../upstream/client-stall.ts';
import { defaultTimeouts, mapUpstreamError } from '../upstream/upstream-client.ts';
import { SseParser } from '../upstream/sse-parser.ts';
import type { CompiledPipeline } from './compile-pipeline.ts';
import type { RequestContext } from './context.ts';
import { decodePassthrough } from './decode-passthrough.ts';
import { StreamUsageTail, usageFromJsonBody } from './passthrough-usage.ts';
import { replyHeaders } from './reply-headers.ts';
import { StreamSecretScrubber } from './stream-secret-scrubber.ts';
import { UsageChunkFilter } from './usage-chunk-filter.ts';

const done = 'data: [DONE]\n\n';

function sseEvent(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/** How canonical replies are written in the client's format (one per response: a stream encoder keeps state). */
interface ClientEncoder {
  /** The usage-only chunk reaches the encoder (OpenAI: when the client asked; Anthropic: always, for message_delta). */
  wantsUsage: boolean;
  response(body: CanonicalResponse): unknown;
  chunk(chunk: CanonicalChunk): string;
  /** For an encoder whose every chunk is exactly one `data:` event: its JSON alone (the event is framed as it is written). */
  chunkJson?(chunk: CanonicalChunk): string;
  end(): string;
  error(error: GatewayError): string;
}

function encoderFor(ctx: RequestContext): ClientEncoder {
  if (ctx.clientFormat === 'anthropic') return anthropicClientEncoder(ctx.body as ChatRequest);
  if (ctx.clientFormat === 'openai-responses') return responsesClientEncoder(ctx.body as ChatRequest, ctx.state);
  return {
    wantsUsage: (ctx.body as { stream_options?: { include_usage?: boolean } | null }).stream_options?.include_usage === true,
    response: (body) => body,
    chunk: sseEvent,
    chunkJson: (chunk) => JSON.stringify(chunk),
    end: () => done,
    error: (error) => sseEvent(error.toOpenAIBody()),
  };
}

/** A complete canonical response (an early answer such as a cache hit) in the client's format. */
export function encodeClientResponse(ctx: RequestContext, body: CanonicalResponse): unknown {
  return encoderFor(ctx).response(body);
}

/**
 * Writes to a stream, counting the bytes for the access log. Returns a promise only when the
 * client's socket is full (resolved once it drains or the client is gone): a chunk that fits costs
 * no promise and no await, so a slow client slows the upstream without the fast path paying for it.
 */
function writeStreamBytes(ctx: RequestContext, response: ServerResponse, data: string | Buffer): Promise<unknown> | undefined {
  const length = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  ctx.bytesOut += length;
  if (response.destroyed || writeEventBytes(response, data, length)) return undefined;
  return whenDrained(ctx, response);
}

/**
 * Waits for the client's socket to drain, for as long as the client keeps taking some of the
 * bytes. One that takes none for the stall limit (upstream/client-stall.ts) has its connection
 * closed, and the call is its stall (499 client_stalled): it does not hold the call for good.
 */
function whenDrained(ctx: RequestContext, response: ServerResponse): Promise<unknown> {
  const socket = response.socket;
  if (socket === null) return whenWritable(response);
  // Only a client that takes none of the bytes for the limit is cut; a slow reader keeps its stream (server/client-stall-watch.ts).
  const watch = new ClientStallWatch(socket, clientStallLimit(ctx.target?.provider.settings.timeouts ?? defaultTimeouts), (waitedMs) => {
    if (ctx.error === null || ctx.error.status === 499) ctx.error = errors.clientStalled(waitedMs);
    endStalled(ctx, response);
  });
  return whenWritable(response).finally(() => watch.stop());
}

/** One chunk of a stream in the client's format, counted and written as writeStreamBytes does. */
function writeChunk(ctx: RequestContext, response: ServerResponse, encoder: ClientEncoder, chunk: CanonicalChunk): Promise<unknown> | undefined {
  if (encoder.chunkJson === undefined) return writeEncoded(ctx, response, encoder.chunk(chunk));
  const json = encoder.chunkJson(chunk);
  const jsonLength = Buffer.byteLength(json);
  ctx.bytesOut += jsonLength + 8; // 'data: ' and the blank line
  if (response.destroyed || writeDataEvent(response, json, jsonLength)) return undefined;
  return whenDrained(ctx, response);
}

/** A chunk with text, reasoning or tool-call arguments (about one token of output). */
function carriesOutput(chunk: CanonicalChunk): boolean {
  const choice = (chunk as { choices?: Array<{ text?: string; delta?: { content?: string | null; reasoning_content?: string | null; tool_calls?: unknown[] } }> }).choices?.[0];
  if (choice === undefined) return false;
  if (choice.text) return true; // a legacy completion's chunk
  const delta = choice.delta;
  return delta !== undefined && (Boolean(delta.content) || Boolean(delta.reasoning_content) || (delta.tool_calls?.length ?? 0) > 0);
}

function markFirstByte(ctx: RequestContext): void {
  if (ctx.upstreamFirstByteAt === 0) ctx.upstreamFirstByteAt = performance.now();
}

/**
 * Runs the response hooks in order. A hook that returns nothing (cost, usage: most of them) is not
 * awaited, and when none returns a promise neither is this: no promise and no microtask turn per
 * hook on every non-streamed request.
 */
export function runOnResponse(ctx: RequestContext, pipeline: CompiledPipeline, body: CanonicalResponse): Promise<void> | undefined {
  const hooks = pipeline.onResponse;
  if (!hooks) return undefined;
  for (let index = 0; index < hooks.length; index++) {
    const pending = hooks[index]!.onResponse!(ctx, body);
    if (pending instanceof Promise) return finishOnResponse(ctx, hooks, index + 1, body, pending);
  }
  return undefined;
}

/** The rest of runOnResponse once a hook has returned a promise. */
async function finishOnResponse(ctx: RequestContext, hooks: NonNullable<CompiledPipeline['onResponse']>, next: number, body: CanonicalResponse, pending: Promise<void>): Promise<void> {
  await pending;
  for (let index = next; index < hooks.length; index++) await hooks[index]!.onResponse!(ctx, body);
}

function runOnChunk(ctx: RequestContext, pipeline: CompiledPipeline, chunk: CanonicalChunk): CanonicalChunk[] {
  let pending: CanonicalChunk[] = [chunk];
  for (const plugin of pipeline.onChunk!) {
    const next: CanonicalChunk[] = [];
    for (const item of pending) {
      const result = plugin.onChunk!(ctx, item);
      if (result === null) continue;
      if (Array.isArray(result)) next.push(...result);
      else next.push(result);
    }
    pending = next;
  }
  return pending;
}

/** Chunks that plugins held back, released when the stream ends (idempotent: a second call finds nothing). */
function runOnStreamEnd(ctx: RequestContext, pipeline: CompiledPipeline): CanonicalChunk[] {
  if (!pipeline.onStreamEnd) return [];
  const released: CanonicalChunk[] = [];
  for (const plugin of pipeline.onStreamEnd) released.push(...plugin.onStreamEnd!(ctx));
  return released;
}

/** An error after the stream has started: reported in-stream in the client's format, then the stream ends. */
function writeStreamError(ctx: RequestContext, response: ServerResponse, error: unknown, encoder: ClientEncoder): Promise<void> {
  return endStreamWithError(ctx, response, error, (gatewayError) => encoder.error(gatewayError));
}

/**
 * A failure after a stream has started, in any client format (`event` writes its error event):
 * recorded as the call's outcome unless an earlier one already is, then written in-stream, or, for
 * a client that stalled, its connection closed.
 */
export async function endStreamWithError(ctx: RequestContext, response: ServerResponse, error: unknown, event: (error: GatewayError) => string): Promise<void> {
  const gatewayError = error instanceof GatewayError ? error : errors.internal();
  // The first failure is the call's: a provider's in-stream error the client has read (and left on)
  // stays it, and so does a client's stall (the abort that follows the closed connection is its doing).
  if (ctx.error === null || (ctx.error.status === 499 && !isClientStall(ctx.error))) ctx.error = gatewayError;
  if (!(error instanceof GatewayError)) ctx.logger.error({ err: error, requestId: ctx.id }, 'stream failed');
  // A client that takes nothing would not take the error event either: its connection is closed
  // (or already was, by what noticed the stall).
  if (isClientStall(gatewayError)) return endStalled(ctx, response);
  if (response.destroyed) return;
  await writeStreamBytes(ctx, response, event(gatewayError));
}

/**
 * Closes the connection of a client that took none of the stream for too long. The call is its
 * doing, 499 in the access log as in the ledger on every path: the log phase may run before the
 * close aborts the request (a passthrough's paused upstream reports the stall itself).
 */
function endStalled(ctx: RequestContext, response: ServerResponse): void {
  ctx.status = 499;
  if (!response.destroyed) response.destroy();
}

function finishStream(response: ServerResponse): void {
  if (!response.destroyed) response.end();
}

async function deliverPassthroughJson(ctx: RequestContext, reply: PassthroughReply, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  const body = await wholeBody(reply.body, ctx.target?.provider.settings.name ?? 'upstream');
  markFirstByte(ctx);
  if (pipeline.onResponse) {
    let parsed: CanonicalResponse;
    try {
      parsed = JSON.parse(body.toString('utf8')) as CanonicalResponse;
    } catch {
      throw errors.upstreamBadResponse(ctx.target?.provider.settings.name ?? 'upstream', 'the body is not JSON');
    }
    // Usage first: an answer a response plugin refuses (output-validation, pii block) was still billed.
    const { usage, service_tier: serviceTier } = parsed as { usage?: RequestContext['usage']; service_tier?: unknown };
    ctx.usage = usage ? withServiceTier(readOpenAiUsage(usage), serviceTier) : null;
    const hooks = runOnResponse(ctx, pipeline, parsed);
    if (hooks) await hooks;
    ctx.status = reply.status;
    // Plugins that only read the response (cost, usage) leave the provider's bytes as they came.
    ctx.bytesOut = writeJson(response, reply.status, ctx.responseChanged ? parsed : body, replyHeaders(reply.headers, ctx.responseHeaders, headers));
    return;
  }
  ctx.status = reply.status;
  response.writeHead(reply.status, { 'content-type': 'application/json', ...replyHeaders(reply.headers, headers), 'content-length': body.length });
  response.end(body);
  ctx.bytesOut = body.length;
  // Parsed after the response is sent: usage is for the log phase, not the client.
  ctx.usage = usageFromJsonBody(body);
}

/** The failure of a passed-through stream that ended before its answer was finished. */
function unfinishedStream(provider: string): GatewayError {
  return errors.upstreamBadResponse(provider, 'the stream ended before the answer was finished (no finish_reason, no [DONE])');
}

async function deliverPassthroughStream(ctx: RequestContext, reply: PassthroughReply, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  if (Buffer.isBuffer(reply.body)) {
    // The whole stream came while the provider held its start: one that is not whole (no complete
    // event, nothing finished) is a 502 before any byte, not an empty 200.
    const whole = new StreamUsageTail();
    whole.push(reply.body);
    if (!whole.finished()) throw unfinishedStream(ctx.target?.provider.settings.name ?? 'upstream');
  }
  ctx.status = reply.status;
  startEventStream(response, reply.status, replyHeaders(reply.headers, headers, undefined, { contentType: false }));
  const provider = ctx.target?.provider.settings.name ?? 'upstream';
  let tail: StreamUsageTail | null = null;
  // A provider key an error event quotes after the stream has started (M5: as withoutSecrets does before it).
  const scrubber = StreamSecretScrubber.for([ctx.upstreamCredential]);
  try {
    if (rewritesStream(ctx, pipeline)) {
      const parser = new SseParser();
      const dropUsageChunk = reply.dropUsageChunk === true;
      const end: StreamEnd = { finished: false };
      await forwardBytes(bodyStream(reply.body), response, (piece, send) => {
        markFirstByte(ctx);
        for (const event of parser.push(piece)) {
          const text = encodeEvent(ctx, pipeline, scrubber === null ? event.data : scrubber.scrubEvent(event.data), dropUsageChunk, end);
          ctx.bytesOut += Buffer.byteLength(text);
          send(text);
        }
      });
      let rest = '';
      for (const event of parser.end()) rest += encodeEvent(ctx, pipeline, scrubber === null ? event.data : scrubber.scrubEvent(event.data), dropUsageChunk, end);
      // A stream that ended without [DONE] still gets what plugins held back.
      for (const out of runOnStreamEnd(ctx, pipeline)) rest += sseEvent(out);
      if (rest !== '') await writeStreamBytes(ctx, response, rest);
      if (!end.finished && ctx.error === null && !response.destroyed) throw unfinishedStream(provider);
    } else {
      const seen = (tail = new StreamUsageTail());
      // Whole events only (without the usage chunk the gateway asked for): an event the stream
      // fails in the middle of (cut, past the size limit) has sent nothing the error event would end.
      const filter = new UsageChunkFilter(reply.dropUsageChunk === true);
      const forward = (piece: Buffer): Buffer => {
        seen.push(piece);
        return filter.push(piece);
      };
      await forwardScrubbedBytes(ctx, reply.body, response, scrubber, forward);
      // A stream that ended before its answer was whole (cut, or with no event a client can read)
      // is not a success: the client gets the error in-stream (not the bytes of an event left
      // open), the ledger the failure.
      if (!seen.finished() && seen.streamError() === null && !response.destroyed) throw unfinishedStream(provider);
      // The last event without its blank line (`data: [DONE]` alone) still goes out.
      const last = filter.end();
      if (last.length > 0) await writeStreamBytes(ctx, response, last);
    }
  } catch (error) {
    await writeStreamError(ctx, response, mapUpstreamError(error, provider, ctx.signal), encoderFor(ctx));
  }
  // Also after a cut: the usage if it came, else how much was streamed (the ledger's estimate).
  if (tail !== null) {
    // A provider's in-stream error passed through as its bytes: the call failed (the client that
    // left on reading it did not cut a working stream).
    const failure = tail.streamError();
    if (failure !== null) ctx.error = failure;
    ctx.usage = tail.usage();
    // Every event carries output until the finish and usage chunks, but an opening role chunk
    // (OpenAI's has only the role and an empty content; another server's first event may hold text).
    ctx.streamedOutputEvents = Math.max(0, tail.firstEventCarriesOutput ? tail.events : tail.events - 1);
  }
  finishStream(response);
}

/** Whether a chunk plugin may change this stream (Plugin.rewritesStream); if none may, its bytes pass through. */
function rewritesStream(ctx: RequestContext, pipeline: CompiledPipeline): boolean {
  return pipeline.onChunk !== null && pipeline.onChunk.some((plugin) => plugin.rewritesStream?.(ctx) ?? true);
}

/** Whether a chunk finished a choice. */
function hasFinishReason(chunk: CanonicalChunk): boolean {
  const choices = (chunk as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return false;
  for (const choice of choices) if ((choice as { finish_reason?: unknown } | null)?.finish_reason) return true;
  return false;
}

/** Whether a rewritten passthrough stream has come whole ([DONE], a finish_reason or the usage after it). */
interface StreamEnd {
  finished: boolean;
}

/** What one upstream event becomes for the client after the chunk plugins ('' for nothing). */
function encodeEvent(ctx: RequestContext, pipeline: CompiledPipeline, data: string, dropUsageChunk: boolean, end: StreamEnd): string {
  if (data === '[DONE]') {
    end.finished = true;
    let text = '';
    for (const out of runOnStreamEnd(ctx, pipeline)) text += sseEvent(out);
    return text + done;
  }
  let chunk: CanonicalChunk;
  try {
    chunk = JSON.parse(data) as CanonicalChunk;
  } catch {
    return `data: ${data}\n\n`;
  }
  if (carriesOutput(chunk)) ctx.streamedOutputEvents++;
  if (!end.finished && (chunk.usage || hasFinishReason(chunk))) end.finished = true;
  if (ctx.error === null) ctx.error = openAIStreamError(chunk);
  if (chunk.usage) {
    ctx.usage = withServiceTier(readOpenAiUsage(chunk.usage), chunk.service_tier);
    if (dropUsageChunk && chunk.choices.length === 0) return '';
  } else if (dropUsageChunk && chunk.usage === null) {
    // The gateway asked usage of the provider, not the client: OpenAI's chunks would carry no `usage` key.
    chunk.usage = undefined;
  }
  let text = '';
  for (const out of runOnChunk(ctx, pipeline, chunk)) text += sseEvent(out);
  return text;
}

/**
 * Writes canonical chunks in the client's format. `reportedUsage` (StreamReply.reportedUsage) is
 * the input usage the provider reported before its final usage chunk: a stream that ends without
 * that chunk is recorded from it (cutStreamUsage), its output from what was streamed.
 */
async function deliverStream(ctx: RequestContext, source: AsyncIterable<CanonicalChunk>, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>, encoder: ClientEncoder, reportedUsage?: () => Usage | null): Promise<void> {
  // Wait for the first chunk before sending 200: a provider error that arrives as the first event
  // then reaches the client with its real HTTP status instead of in-stream.
  const iterator = source[Symbol.asyncIterator]();
  let next = await iterator.next();
  ctx.status = 200;
  startEventStream(response, 200, headers);
  const clientWantsUsage = encoder.wantsUsage;
  try {
    // A plain loop over the provider's iterator: no extra generator layer per chunk.
    for (; !next.done; next = await iterator.next()) {
      const chunk = next.value;
      markFirstByte(ctx);
      if (carriesOutput(chunk)) ctx.streamedOutputEvents++;
      if (chunk.usage) {
        ctx.usage = withServiceTier(chunk.usage, chunk.service_tier);
        // Translated streams always report usage (the gateway needs it); the client gets the
        // usage chunk only when it asked, as with OpenAI.
        if (!clientWantsUsage) {
          if (chunk.choices.length === 0) continue;
          chunk.usage = undefined;
        }
      } else if (chunk.usage === null && !clientWantsUsage) {
        // OpenAI's chunks carry `usage` (null but on the last) only for a client that asked for it.
        chunk.usage = undefined;
      }
      if (pipeline.onChunk) {
        for (const out of runOnChunk(ctx, pipeline, chunk)) {
          const full = writeChunk(ctx, response, encoder, out);
          if (full !== undefined) await full;
        }
      } else {
        const full = writeChunk(ctx, response, encoder, chunk);
        if (full !== undefined) await full;
      }
      if (response.destroyed) break;
    }
    for (const out of runOnStreamEnd(ctx, pipeline)) await writeChunk(ctx, response, encoder, out);
    if (next.done && ctx.usage === null && ctx.clientFormat !== 'openai') {
      // A stream that ended without the provider's usage (a server that ignores include_usage):
      // Anthropic's message_delta and the Responses API's response.completed, which always carry
      // usage, get the estimate the ledger records, marked estimated, rather than 0/0 or null.
      ctx.usage = streamUsageEstimate(ctx, reportedUsage?.() ?? null);
      await writeChunk(ctx, response, encoder, { choices: [], usage: ctx.usage } as unknown as CanonicalChunk);
    }
    await writeStreamBytes(ctx, response, encoder.end());
  } catch (error) {
    await writeStreamError(ctx, response, error, encoder);
  } finally {
    // Left early (client gone): let the provider's stream release its upstream body.
    if (!next.done) void iterator.return?.(undefined)?.catch(() => {});
  }
  if (ctx.usage === null && reportedUsage !== undefined) {
    const reported = reportedUsage();
    if (reported !== null) ctx.usage = cutStreamUsage(reported, ctx.streamedOutputEvents);
  }
  finishStream(response);
}

/**
 * The usage of a stream that ended without the provider's: the input it had reported (cutStreamUsage),
 * else the prompt's estimate, and about a token per streamed output event, flagged estimated: the
 * numbers the ledger records for such a stream (plugins/usage-ledger/usage-record.ts).
 */
function streamUsageEstimate(ctx: RequestContext, reported: Usage | null): Usage {
  if (reported !== null) return cutStreamUsage(reported, ctx.streamedOutputEvents);
  const input = estimatePromptTokens(ctx.operation, ctx.body);
  return { prompt_tokens: input, completion_tokens: ctx.streamedOutputEvents, total_tokens: input + ctx.streamedOutputEvents, estimated: true };
}

/** An encoder may have nothing to send for a chunk (e.g. the role-only first chunk for Anthropic); writeStreamBytes. */
function writeEncoded(ctx: RequestContext, response: ServerResponse, text: string): Promise<unknown> | undefined {
  return text === '' ? undefined : writeStreamBytes(ctx, response, text);
}

/**
 * An Anthropic reply forwarded to an Anthropic client as bytes. Response plugins see the
 * canonical view; the client gets the provider's own bytes unless a plugin changed that view.
 */
async function deliverAnthropicPassthroughJson(ctx: RequestContext, reply: PassthroughReply, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  const provider = ctx.target?.provider.settings.name ?? 'upstream';
  const body = await wholeBody(reply.body, provider);
  markFirstByte(ctx);
  ctx.status = reply.status;
  if (pipeline.onResponse && reply.status < 300) {
    const canonical = decodeAnthropicMessage(body, provider);
    const before = JSON.stringify(canonical);
    ctx.usage = canonical.usage ?? null;
    const hooks = runOnResponse(ctx, pipeline, canonical);
    if (hooks) await hooks;
    if (JSON.stringify(canonical) !== before) {
      ctx.bytesOut = writeJson(response, reply.status, convertToAnthropicMessage(canonical), replyHeaders(reply.headers, ctx.responseHeaders, headers));
      return;
    }
  }
  response.writeHead(reply.status, { 'content-type': 'application/json', ...replyHeaders(reply.headers, ctx.responseHeaders, headers), 'content-length': body.length });
  response.end(body);
  ctx.bytesOut = body.length;
  ctx.usage ??= anthropicUsageFromJsonBody(body);
}

/** The failure of a passed-through Anthropic stream that ended before message_stop (the translated path's words). */
function unfinishedAnthropicStream(provider: string): GatewayError {
  return errors.upstreamBadResponse(provider, 'the event stream ended before message_stop');
}

/** Whether a whole Anthropic stream (one that came while its start was held) ended with message_stop or an error event. */
function wholeAnthropicStream(body: Buffer, provider: string): boolean {
  const whole = new AnthropicStreamUsage(provider);
  try {
    whole.push(body);
  } catch {
    return false;
  }
  return whole.finished() || whole.streamError() !== null;
}

/** An Anthropic event stream forwarded as it arrives; with chunk plugins it goes through the canonical model instead. */
async function deliverAnthropicPassthroughStream(ctx: RequestContext, reply: PassthroughReply, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  const provider = ctx.target?.provider.settings.name ?? 'upstream';
  if (rewritesStream(ctx, pipeline)) {
    let reported: Usage | null = null;
    const chunks = decodeAnthropicStream(bodyStream(reply.body), provider, ctx.signal, (usage) => (reported = usage));
    return deliverStream(ctx, chunks, pipeline, response, replyHeaders(reply.headers, headers, undefined, { contentType: false }), encoderFor(ctx), () => reported);
  }
  // The whole stream came while the provider held its start: one that is not whole is a 502 before any byte.
  if (Buffer.isBuffer(reply.body) && !wholeAnthropicStream(reply.body, provider)) throw unfinishedAnthropicStream(provider);
  ctx.status = reply.status;
  startEventStream(response, reply.status, replyHeaders(reply.headers, headers, undefined, { contentType: false }));
  const usage = new AnthropicStreamUsage(provider, ctx.upstreamCredential);
  // Whole events only, as on the OpenAI passthrough: an error event never ends one left open.
  const events = new UsageChunkFilter(false);
  const scrubber = StreamSecretScrubber.for([ctx.upstreamCredential]);
  const forward = (piece: Buffer): Buffer => {
    usage.push(piece);
    return events.push(piece);
  };
  try {
    await forwardScrubbedBytes(ctx, reply.body, response, scrubber, forward);
    // Ended without message_stop (cut, or events not parted by blank lines): the client gets the
    // error in-stream, as from the translated path, and the ledger the failure.
    if (!usage.finished() && usage.streamError() === null && !response.destroyed) throw unfinishedAnthropicStream(provider);
    const last = events.end();
    if (last.length > 0) await writeStreamBytes(ctx, response, last);
  } catch (error) {
    await writeStreamError(ctx, response, mapUpstreamError(error, provider, ctx.signal), encoderFor(ctx));
  }
  // A provider's `error` event passed through as its bytes: the call failed.
  const failure = usage.streamError();
  if (failure !== null && !isClientStall(ctx.error)) ctx.error = failure;
  ctx.usage = usage.usage();
  finishStream(response);
}

/**
 * Sends a provider's reply to the client in the client's format (OpenAI or Anthropic), running
 * the response-phase plugins. A passthrough reply is forwarded as bytes only when the provider's
 * native format is the client's; otherwise it is read into canonical objects first.
 */
export async function deliverReply(ctx: RequestContext, reply: ProviderReply, pipeline: CompiledPipeline, response: ServerResponse, headers: Record<string, string>): Promise<void> {
  switch (reply.kind) {
    case 'passthrough': {
      // A passthrough reply is in the provider's native format; canonical is OpenAI's shape.
      const format = ctx.target?.provider.nativeFormat ?? 'openai';
      if (format !== ctx.clientFormat) return deliverReply(ctx, await decodePassthrough(reply, format, ctx.target?.provider.settings.name ?? 'upstream', ctx.signal, StreamSecretScrubber.for([ctx.upstreamCredential])), pipeline, response, headers);
      if (format === 'anthropic') {
        if (reply.stream) return deliverAnthropicPassthroughStream(ctx, reply, pipeline, response, headers);
        return deliverAnthropicPassthroughJson(ctx, reply, pipeline, response, headers);
      }
      if (reply.stream) return deliverPassthroughStream(ctx, reply, pipeline, response, headers);
      return deliverPassthroughJson(ctx, reply, pipeline, response, headers);
    }
    case 'response': {
      ctx.usage = (reply.response as { usage?: RequestContext['usage'] }).usage ?? null;
      const hooks = runOnResponse(ctx, pipeline, reply.response);
      if (hooks) await hooks;
      ctx.status = 200;
      ctx.bytesOut = writeJson(response, 200, encoderFor(ctx).response(reply.response), replyHeaders(reply.headers, ctx.responseHeaders, headers));
      return;
    }
    case 'stream':
      return deliverStream(ctx, reply.chunks, pipeline, response, replyHeaders(reply.headers, headers), encoderFor(ctx), reply.reportedUsage);
  }
}

/**
 * A byte passthrough's body to the client: each piece scrubbed of the upstream credential, then
 * through `forward` (whole events, usage read), counted and sent with backpressure; what the
 * scrubber still held at the end goes the same way.
 */
async function forwardScrubbedBytes(ctx: RequestContext, body: UpstreamBody | Buffer, response: ServerResponse, scrubber: StreamSecretScrubber | null, forward: (piece: Buffer) => Buffer): Promise<void> {
  await forwardBytes(bodyStream(body), response, (piece, send) => {
    markFirstByte(ctx);
    const clean = scrubber === null ? piece : scrubber.push(piece);
    if (clean.length === 0) return;
    const out = forward(clean);
    ctx.bytesOut += out.length;
    send(out);
  });
  const rest = scrubber?.end();
  if (rest !== undefined && rest.length > 0) await writeStreamBytes(ctx, response, forward(rest));
}
