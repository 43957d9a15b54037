import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ChatMessage, ChatRequest, ChatResponse, Usage } from '../../canonical/chat.ts';
import { errors } from '../../errors/catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { createContext } from '../../pipeline/create-context.ts';
import { deliverReply } from '../../pipeline/deliver-reply.ts';
import { handleModelRequest, type DeliverReply, type PipelineRuntime } from '../../pipeline/handle-request.ts';
import { CheckStopped } from '../../plugins/output-validation/compile-json-schema.ts';
import { validatedElsewhere } from '../../plugins/output-validation/definition.ts';
import { checkJsonAnswer, describeErrors, outputValidationFailed } from '../../plugins/output-validation/validate-json-answer.ts';
import { discardRestOfBody, readBody } from '../../server/read-body.ts';
import { writeJson, writeOpenAIError } from '../../server/write-response.ts';
import { formatUsd, roundUsd } from '../../usage/compute-cost.ts';
import { CapturedResponse } from './captured-response.ts';
import { promptApisOf, renderPromptApiMessages, type CompiledPromptApi } from './compile-prompt-apis.ts';
import { promptApiOpenApiDocument } from './prompt-api-openapi.ts';
import type { PromptApiConfig } from './prompt-api-config.ts';

/** What a prompt API needs from the running configuration. */
export interface PromptApiRuntime extends PipelineRuntime {
  bodyLimit: number;
  /** The running configuration; its `apis:` section declares the endpoints. */
  readonly loaded?: { readonly config: { readonly apis?: readonly PromptApiConfig[] } };
}

export interface PromptApiCall {
  request: IncomingMessage;
  response: ServerResponse;
  /** The request id (x-request-id). */
  id: string;
  path: string;
  runtime: PromptApiRuntime;
  logger: Logger;
  /** The log phase of an answer written here, not by the chat pipeline (which logs its own calls). */
  logOwnAnswer: (answer: PromptApiOwnAnswer) => void;
}

/**
 * An answer the prompt API wrote itself: the OpenAPI document (`document`), or a call refused
 * before its chat request was made (`call`: a wrong method, a body too large or not JSON, input
 * that does not match the API's schema).
 */
export interface PromptApiOwnAnswer {
  kind: 'document' | 'call';
  error?: GatewayError;
  /** The body as read, when it was. */
  rawBody?: Buffer;
  bytesOut: number;
  /** The status to log, when not the response's (499: the client left before it was answered). */
  status?: number;
}

/** The OpenAPI document of the configured prompt APIs. */
export const promptApiDocumentPath = '/apis/openapi.json';

function invalidInput(where: string, problem: string): GatewayError {
  return new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_api_input', param: where === '/' ? null : where.slice(1).replaceAll('/', '.'), message: `Invalid input at '${where}': ${problem}.` });
}

/** Headers of the pipeline's reply worth passing on (ids, routing, rate limits); not the body's own. */
function passOnHeaders(captured: CapturedResponse): Record<string, string> {
  const { 'content-type': _type, 'content-length': _length, 'transfer-encoding': _encoding, connection: _connection, ...rest } = captured.headers;
  return rest;
}

/**
 * The cost of the calls made so far (x-tollgate-cost-usd of each, as the ledger records them), so
 * the answer's header covers every call its `usage` sums; null when no call was priced.
 */
interface CallsCost {
  usd: number;
  estimated: boolean;
}

function addCost(total: CallsCost | null, captured: CapturedResponse): CallsCost | null {
  const header = captured.headers['x-tollgate-cost-usd'];
  const usd = header === undefined ? Number.NaN : Number(header);
  if (!Number.isFinite(usd)) return total;
  return { usd: roundUsd((total?.usd ?? 0) + usd), estimated: (total?.estimated ?? false) || captured.headers['x-tollgate-cost-estimated'] === 'true' };
}

/** The headers of an answer that came after more than one call: the cost is all of theirs. */
function withCostOfAllCalls(headers: Record<string, string>, cost: CallsCost | null): Record<string, string> {
  if (!cost) return headers;
  const summed: Record<string, string> = { ...headers, 'x-tollgate-cost-usd': formatUsd(cost.usd) };
  if (cost.estimated) summed['x-tollgate-cost-estimated'] = 'true';
  return summed;
}

function addUsage(total: Usage | null, usage: Usage | undefined): Usage | null {
  if (!usage) return total;
  if (!total) return { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens };
  return { prompt_tokens: total.prompt_tokens + usage.prompt_tokens, completion_tokens: total.completion_tokens + usage.completion_tokens, total_tokens: total.total_tokens + usage.total_tokens };
}

/**
 * Serves the `apis:` endpoints and their OpenAPI document. Returns false when the path is not
 * one of them (the caller answers 404). A call validates the input, renders the API's messages
 * and runs them through the ordinary chat pipeline (authentication, routes, limits, guardrails,
 * usage and logs as for any chat request), then answers {"output": ..., "model", "usage"}.
 */
export async function servePromptApi(call: PromptApiCall): Promise<boolean> {
  const { request, response, id, path, runtime, logOwnAnswer } = call;
  const apis = runtime.loaded?.config.apis ?? [];
  const headers = { 'x-request-id': id };
  if (path === promptApiDocumentPath) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const error = errors.methodNotAllowed(request.method ?? '', path);
      logOwnAnswer({ kind: 'document', error, bytesOut: writeOpenAIError(response, error, { ...headers, allow: 'GET, HEAD' }) });
    } else logOwnAnswer({ kind: 'document', bytesOut: writeJson(response, 200, promptApiOpenApiDocument(apis), headers) });
    return true;
  }
  const api = promptApisOf(apis).get(path);
  if (!api) return false;
  if (request.method !== 'POST') {
    const error = errors.methodNotAllowed(request.method ?? '', path);
    logOwnAnswer({ kind: 'call', error, bytesOut: writeOpenAIError(response, error, { ...headers, allow: 'POST' }) });
    return true;
  }
  let input: unknown;
  let raw: Buffer | undefined;
  try {
    raw = await readBody(request, runtime.bodyLimit);
    try {
      input = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw errors.invalidJson((error as Error).message);
    }
    let problems;
    try {
      problems = api.validateInput.errorsFor(input);
    } catch (error) {
      if (error instanceof CheckStopped) throw invalidInput('/', `it could not be checked against the schema (${error.message})`);
      throw error;
    }
    if (problems) throw invalidInput(problems[0]?.instancePath || '/', describeErrors(problems).replace(/^at '[^']*': /, ''));
  } catch (error) {
    const gatewayError = error instanceof GatewayError ? error : errors.internal();
    if (gatewayError.status === 413) {
      response.setHeader('connection', 'close');
      if (!(await discardRestOfBody(request))) {
        logOwnAnswer({ kind: 'call', error: gatewayError, bytesOut: 0, status: 499 });
        return true;
      }
    }
    logOwnAnswer({ kind: 'call', error: gatewayError, ...(raw && { rawBody: raw }), bytesOut: writeOpenAIError(response, gatewayError, headers) });
    return true;
  }
  await answer(call, api, input);
  return true;
}

/** A correction turn for the one retry: the model sees its answer and what was wrong with it (never logged). */
function retryMessages(messages: ChatMessage[], answer: string, problem: string): ChatMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: answer },
    { role: 'user', content: `Your answer was not valid: ${problem}. Answer again with only the JSON value that matches the required schema, without any other text.` },
  ];
}

async function answer(call: PromptApiCall, api: CompiledPromptApi, input: unknown): Promise<void> {
  const { response, id } = call;
  const json = api.config.output.mode === 'json';
  const messages = renderPromptApiMessages(api, input);
  const base: ChatRequest = { ...api.config.parameters, model: api.config.model, messages, stream: false };
  if (json) {
    const name = api.config.path.slice('/apis/'.length).replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
    base.response_format = api.config.output.schema ? { type: 'json_schema', json_schema: { name, schema: api.config.output.schema } } : { type: 'json_object' };
  }
  let usage: Usage | null = null;
  let cost: CallsCost | null = null;
  let body = base;
  // json mode: one automatic retry when the answer is not valid JSON for the schema.
  for (let attempt = 1; ; attempt++) {
    // The last attempt's answer decides the client's status, which its usage record must carry too.
    const lastCheck = json && attempt >= 2 ? (text: string) => finalAnswerProblem(api, text) : undefined;
    const captured = await runChat(call, body, attempt === 1 ? id : `${id}-retry`, lastCheck);
    if (response.destroyed) return;
    cost = addCost(cost, captured);
    if (captured.statusCode !== 200) {
      // An error from the pipeline (401, 429, 400 content rules, provider errors) is passed on as it is (after a retry, with both calls' cost).
      const headers = { ...captured.headers, 'x-request-id': id };
      response.writeHead(captured.statusCode, attempt > 1 ? withCostOfAllCalls(headers, cost) : headers);
      response.end(captured.text());
      return;
    }
    let completion: ChatResponse;
    try {
      completion = JSON.parse(captured.text()) as ChatResponse;
    } catch {
      writeOpenAIError(response, errors.upstreamBadResponse(captured.headers['x-tollgate-provider'] ?? 'upstream', 'the body is not JSON'), { ...passOnHeaders(captured), 'x-request-id': id });
      return;
    }
    usage = addUsage(usage, completion.usage);
    const choice = completion.choices?.[0];
    const content = typeof choice?.message?.content === 'string' ? choice.message.content : '';
    const result = { model: captured.headers['x-tollgate-model'] ?? completion.model, usage, finish_reason: choice?.finish_reason ?? null };
    let outHeaders: Record<string, string> = { ...passOnHeaders(captured), 'x-request-id': id };
    if (attempt > 1) outHeaders = { ...withCostOfAllCalls(outHeaders, cost), 'x-tollgate-output-retries': String(attempt - 1) };
    if (!json) {
      writeJson(response, 200, { output: content, ...result }, outHeaders);
      return;
    }
    const checked = checkJsonAnswer(content, api.validateOutput, { tolerateFence: true });
    if (checked.ok) {
      writeJson(response, 200, { output: checked.value, ...result }, outHeaders);
      return;
    }
    call.logger.warn({ type: 'prompt_api', requestId: id, path: api.config.path, attempt, problem: checked.problem }, 'a prompt API answer failed validation');
    if (attempt >= 2) {
      writeOpenAIError(response, outputValidationFailed(checked.problem), outHeaders);
      return;
    }
    body = { ...base, messages: retryMessages(messages, content, checked.problem) };
  }
}

/** What is wrong with a captured completion's JSON answer for the API, or null when it is valid. */
function finalAnswerProblem(api: CompiledPromptApi, text: string): string | null {
  let completion: ChatResponse;
  try {
    completion = JSON.parse(text) as ChatResponse;
  } catch {
    return null;
  }
  const content = completion.choices?.[0]?.message?.content;
  const checked = checkJsonAnswer(typeof content === 'string' ? content : '', api.validateOutput, { tolerateFence: true });
  return checked.ok ? null : checked.problem;
}

/**
 * One chat call through the ordinary pipeline, its reply captured instead of sent. `lastCheck`
 * judges a 200 answer before the call's log phase: a problem makes the call's record a 502
 * output_validation_failed, as the client is answered.
 */
async function runChat(call: PromptApiCall, body: ChatRequest, id: string, lastCheck?: (text: string) => string | null): Promise<CapturedResponse> {
  const { request, response, path, runtime, logger } = call;
  const captured = new CapturedResponse(response);
  const abort = new AbortController();
  const onClose = () => {
    if (!response.writableFinished) abort.abort();
  };
  response.once('close', onClose);
  // The canonical request's own bytes: a passthrough provider may forward them as they are.
  const rawBody = Buffer.from(JSON.stringify(body));
  // The prompt API validates (and retries) its JSON answers itself.
  const state = new Map<string, unknown>([[validatedElsewhere, true]]);
  const ctx = createContext({ id, request, path, clientFormat: 'openai', operation: 'chat', rawBody, body, signal: abort.signal, logger, state });
  try {
    const deliver: DeliverReply = async (...args) => {
      await deliverReply(...args);
      const problem = lastCheck && ctx.status === 200 ? lastCheck(captured.text()) : null;
      if (problem !== null) {
        ctx.error = outputValidationFailed(problem);
        ctx.status = ctx.error.status;
      }
    };
    await handleModelRequest(ctx, runtime, captured.asServerResponse(), deliver);
  } finally {
    response.off('close', onClose);
  }
  return captured;
}
