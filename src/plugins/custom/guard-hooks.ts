import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { Logger } from 'pino';
import type { CanonicalChunk } from '../../canonical/operation.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { RequestContext } from '../../pipeline/context.ts';
import type { EarlyReply, Plugin } from '../../pipeline/plugin.ts';
import type { CustomPluginHooks } from './custom-plugin-module.ts';

/** The hooks a custom plugin's `create` may return, and its one flag. */
const hookNames = ['onRequest', 'onUpstreamRequest', 'onResponse', 'onChunk', 'onStreamEnd', 'rewritesStream', 'onLog', 'close'] as const;
const fieldNames = new Set<string>([...hookNames, 'upstreamRequestHeadersOnly']);
/** Called once per chunk or as the stream starts and ends: the pipeline does not await them. */
const synchronousHooks = new Set<string>(['onChunk', 'onStreamEnd', 'rewritesStream']);

/**
 * A custom plugin's hook threw (or broke a rule of its phase). Carries the plugin's name and the
 * hook into the log line of the generic failure handling; the client only ever gets
 * `500 internal_error` with its request id.
 */
export class CustomPluginFailure extends Error {
  constructor(plugin: string, hook: string, thrown: unknown) {
    super(`custom plugin "${plugin}" failed in ${hook}: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    this.name = 'CustomPluginFailure';
    // The plugin's own frames, not this wrapper's. No `cause`: the logger would repeat its message.
    const frames = thrown instanceof Error && thrown.stack ? thrown.stack.split('\n').filter((line) => line.startsWith('    at ')) : [];
    this.stack = [`${this.name}: ${this.message}`, ...frames].join('\n');
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** Checks what `create` returned; throws an Error whose message is the config problem. */
function checkHooks(hooks: unknown): asserts hooks is CustomPluginHooks {
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) throw new Error(`create() must return an object of hooks (${hookNames.join(', ')}), got ${hooks === null ? 'null' : Array.isArray(hooks) ? 'a list' : typeof hooks}`);
  // Other fields are the plugin's own (state it reads through `this`), but one named like a hook is a misspelt hook that would never run.
  const misspelt = Object.keys(hooks).filter((key) => /^on[A-Z]/.test(key) && !fieldNames.has(key));
  if (misspelt.length > 0) throw new Error(`create() returned unknown hook${misspelt.length > 1 ? 's' : ''} ${misspelt.map((key) => JSON.stringify(key)).join(', ')} (hooks: ${hookNames.join(', ')})`);
  const fields = hooks as Record<string, unknown>;
  for (const name of hookNames) {
    const hook = fields[name];
    if (hook === undefined) continue;
    if (typeof hook !== 'function') throw new Error(`create() returned ${name} that is not a function`);
    if (synchronousHooks.has(name) && hook.constructor.name === 'AsyncFunction') throw new Error(`${name} must be synchronous (the pipeline does not await it); it is an async function`);
  }
  const flag = fields.upstreamRequestHeadersOnly;
  if (flag !== undefined && typeof flag !== 'boolean') throw new Error('create() returned upstreamRequestHeadersOnly that is not true or false');
}

/**
 * Removes a header Node or undici would refuse to send (a control character, a name that is not a
 * token, a value that is not a string) and says which: sending it would fail the request later,
 * outside the plugin, with nothing naming it.
 */
function checkHeaders(headers: unknown, field: string): void {
  if (headers === undefined) return;
  if (headers === null || typeof headers !== 'object') throw new TypeError(`${field} must be an object of header names and string values`);
  const entries = headers as Record<string, unknown>;
  for (const [name, value] of Object.entries(entries)) {
    try {
      if (typeof value !== 'string') throw new TypeError(`its value is ${value === null ? 'null' : typeof value}, not a string`);
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      delete entries[name];
      throw new TypeError(`${field}[${JSON.stringify(name)}] cannot be sent: ${(error as Error).message}`);
    }
  }
}

/** The ctx header fields a plugin writes, checked after each of its hooks that may write them. */
function checkContextHeaders(ctx: RequestContext): void {
  try {
    checkHeaders(ctx.responseHeaders, 'ctx.responseHeaders');
  } catch (error) {
    if (ctx.responseHeaders === null || typeof ctx.responseHeaders !== 'object') ctx.responseHeaders = undefined;
    throw error;
  }
  try {
    checkHeaders(ctx.upstreamHeaders, 'ctx.upstreamHeaders');
  } catch (error) {
    if (ctx.upstreamHeaders === null || typeof ctx.upstreamHeaders !== 'object') ctx.upstreamHeaders = undefined;
    throw error;
  }
}

/** An early answer (onRequest's return) as the pipeline can write it, or a TypeError saying why not. */
function earlyReply(ctx: RequestContext, value: unknown): EarlyReply | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const reply = value as Partial<EarlyReply>;
  if (typeof value !== 'object' || !Number.isInteger(reply.status) || reply.status! < 200 || reply.status! > 299 || reply.body === null || typeof reply.body !== 'object') {
    throw new TypeError('onRequest returned something other than nothing or an early answer { status: 2xx, body, headers? } (refuse a request by throwing refuse({...}))');
  }
  // An early answer is written as one JSON body: a streaming client would wait for events in vain.
  if (ctx.stream) throw new TypeError('onRequest returned an early answer to a streaming request (answer early only when ctx.stream is false)');
  checkHeaders(reply.headers, 'the early answer\'s headers');
  return reply as EarlyReply;
}

/**
 * A custom plugin's hooks as a Plugin the pipeline runs like a built-in one, with the guards that
 * code from outside the repository needs: a hook's failure names the plugin and hook (a
 * GatewayError, a refusal, passes through as it is); the synchronous phases stay synchronous; a
 * header that could not be sent is caught where it was set; a rejected onLog or close promise is
 * logged, never an unhandled rejection. Hooks are called with `this` as the object create returned.
 */
export function guardHooks(name: string, priority: number, hooks: unknown, logger: Logger): Plugin {
  checkHooks(hooks);
  const failed = (hook: string, error: unknown): unknown => (error instanceof GatewayError || error instanceof CustomPluginFailure ? error : new CustomPluginFailure(name, hook, error));
  const plugin: { -readonly [K in keyof Plugin]: Plugin[K] } = { name, priority };
  const { onRequest, onUpstreamRequest, onResponse, onChunk, onStreamEnd, rewritesStream, onLog, close } = hooks;

  /** Runs a hook; what it throws is named after the plugin and the hook. */
  const invoke = (hook: string, run: () => unknown): unknown => {
    try {
      return run();
    } catch (error) {
      throw failed(hook, error);
    }
  };
  /** After a hook that may write headers (at once, or once its promise settles): checks them, then `then` of the result. */
  const settle = <Result>(ctx: RequestContext, hook: string, result: unknown, then: (value: unknown) => Result): Result | Promise<Result> => {
    const finish = (value: unknown): Result => invoke(hook, () => (checkContextHeaders(ctx), then(value))) as Result;
    if (!isThenable(result)) return finish(result);
    return Promise.resolve(result).then(finish, (error: unknown) => {
      throw failed(hook, error);
    });
  };

  if (onRequest) plugin.onRequest = (ctx) => settle(ctx, 'onRequest', invoke('onRequest', () => onRequest.call(hooks, ctx)), (value) => earlyReply(ctx, value));
  if (onUpstreamRequest) plugin.onUpstreamRequest = (ctx) => settle(ctx, 'onUpstreamRequest', invoke('onUpstreamRequest', () => onUpstreamRequest.call(hooks, ctx)), () => undefined);
  if (hooks.upstreamRequestHeadersOnly === true) plugin.upstreamRequestHeadersOnly = true;
  if (onResponse) plugin.onResponse = (ctx, response) => settle(ctx, 'onResponse', invoke('onResponse', () => onResponse.call(hooks, ctx, response)), () => undefined);

  if (onChunk) {
    plugin.onChunk = (ctx, chunk) => {
      const result = invoke('onChunk', () => onChunk.call(hooks, ctx, chunk));
      // Returning nothing keeps the chunk as it came (the common slip of a plugin that only reads).
      if (result === undefined) return chunk;
      if (result === null || Array.isArray(result)) return result as CanonicalChunk[] | null;
      if (isThenable(result)) throw failed('onChunk', new TypeError('returned a promise; onChunk must return synchronously'));
      if (typeof result !== 'object') throw failed('onChunk', new TypeError(`returned ${typeof result}: return the chunk, an array of chunks, null to hold it back, or nothing`));
      return result as CanonicalChunk;
    };
  }
  if (onStreamEnd) {
    plugin.onStreamEnd = (ctx) => {
      const result = invoke('onStreamEnd', () => onStreamEnd.call(hooks, ctx));
      if (result === undefined || result === null) return [];
      if (!Array.isArray(result)) throw failed('onStreamEnd', new TypeError('must return an array of the chunks it still holds (or nothing)'));
      return result as CanonicalChunk[];
    };
  }
  if (rewritesStream) plugin.rewritesStream = (ctx) => invoke('rewritesStream', () => rewritesStream.call(hooks, ctx)) !== false;

  if (onLog) {
    plugin.onLog = (ctx) => {
      // A throw is logged by the log phase with the plugin's name, as a built-in plugin's is; a rejection here.
      const result = invoke('onLog', () => onLog.call(hooks, ctx));
      if (isThenable(result)) Promise.resolve(result).catch((error: unknown) => ctx.logger.error({ err: failed('onLog', error), plugin: name, requestId: ctx.id }, 'a log-phase plugin failed'));
    };
  }
  if (close) {
    plugin.close = async () => {
      try {
        await close.call(hooks);
      } catch (error) {
        logger.warn({ err: failed('close', error), plugin: name }, 'a custom plugin failed to close');
      }
    };
  }
  return plugin;
}
