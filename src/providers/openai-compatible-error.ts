import { GatewayError, type ErrorType } from '../errors/gateway-error.ts';
import { openAIStreamError } from '../formats/openai/openai-stream-error.ts';

const typeByStatus: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** The error type a status stands for, when the provider names none (or the status is a 5xx). */
function typeOfStatus(status: number): ErrorType {
  return typeByStatus[status] ?? (status >= 500 ? 'upstream_error' : 'invalid_request_error');
}

/** The fields of an error body (or of the `error` object inside one) that are read. */
interface ErrorBody {
  error?: unknown;
  message?: unknown;
  detail?: unknown;
  code?: unknown;
  type?: unknown;
  param?: unknown;
  choices?: unknown;
  data?: unknown;
}

/**
 * Maps an error response of an OpenAI-compatible API to a GatewayError with the provider's
 * status and message. Retry-After, `x-should-retry` and rate-limit reset headers are kept for the client. The
 * OpenAI error object, under `error` or with its fields at the top level (Cerebras' 4xx,
 * Mistral's), is kept whole for OpenAI-format clients (`providerError`), its `type`, `code` and
 * `param` as sent; xAI's `{"code": "...", "error": "<message>"}` keeps its `code`. A field the
 * provider left out is filled in, as the OpenAI error shape has all four
 * (`code: "upstream_http_<status>"`, `param: null`).
 */
export function mapOpenAICompatibleError(provider: string, status: number, headers: Record<string, string | string[] | undefined>, bodyText: string): GatewayError {
  let message = `Provider '${provider}' answered with HTTP ${status}.`;
  let code = `upstream_http_${status}`;
  let type = typeOfStatus(status);
  let param: string | null = null;
  let providerError: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(bodyText) as ErrorBody;
    const inner = parsed.error;
    // A validation failure (FastAPI/pydantic: Mistral's 422) names each refused field and why.
    const validation = (inner && typeof inner === 'object') || typeof inner === 'string' ? null : describeValidationFailure(provider, status, parsed);
    const error = inner && typeof inner === 'object' ? (inner as ErrorBody) : validation === null && typeof inner !== 'string' && isErrorObject(parsed) ? parsed : undefined;
    if (error !== undefined) {
      if (typeof error.message === 'string') message = error.message;
      if (typeof error.code === 'string' && error.code !== '') code = error.code;
      if (typeof error.param === 'string') param = error.param;
      if (typeof error.type === 'string' && status < 500 && error.type !== '') type = error.type as ErrorType;
      providerError = error as Record<string, unknown>;
    } else if (typeof inner === 'string') {
      message = inner;
      if (typeof parsed.code === 'string' && parsed.code !== '') code = parsed.code;
    } else if (validation !== null) {
      message = validation.message;
      param = validation.param;
    } else if (typeof parsed.message === 'string') {
      message = parsed.message;
    } else if (typeof parsed.detail === 'string') {
      message = parsed.detail;
    }
  } catch {
    if (bodyText.trim() !== '' && bodyText.length < 500 && !bodyText.trimStart().startsWith('<')) message = bodyText.trim();
  }
  // Retry advice and the account's rate-limit state: a client pacing itself needs them most on a 429.
  // `x-should-retry` is the provider's own word to the SDKs, which obey it before the status
  // (advise-retry.ts overrides it only where the gateway's own retries have already run).
  const kept: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string' && (name === 'retry-after' || name === 'retry-after-ms' || name === 'x-should-retry' || name.startsWith('x-ratelimit-'))) kept[name] = value;
  }
  return new GatewayError({ status, type, code, message, param, headers: kept, upstream: true, providerError });
}

/**
 * The failure a stream's first event reports (`data: {"error": {...}}` on a 200: vLLM, OpenAI,
 * OpenRouter), as the HTTP error the client gets instead of the stream: status, message and code
 * as openAIStreamError reads them, and the provider's error object kept whole for OpenAI-format
 * clients (`providerError`), its `type` (below 500) and `param` as sent; the fields it lacks are
 * filled in as for an HTTP error of that status.
 * `event` is the parsed event, already scrubbed of secrets; null when it is no error.
 */
export function mapOpenAIStreamStartError(event: unknown): GatewayError | null {
  const error = openAIStreamError(event);
  if (error === null) return null;
  const sent = (event as { error: Record<string, unknown> }).error;
  const type = typeof sent.type === 'string' && sent.type !== '' && error.status < 500 ? (sent.type as ErrorType) : typeOfStatus(error.status);
  const param = typeof sent.param === 'string' ? sent.param : null;
  return new GatewayError({ status: error.status, type, code: error.code, message: error.message, param, upstream: true, providerError: sent });
}

/** An OpenAI error object's fields at the top level of a body: a message and a `type` or `code`. */
function isErrorObject(body: ErrorBody): boolean {
  return typeof body.message === 'string' && (typeof body.type === 'string' || typeof body.code === 'string' || typeof body.code === 'number');
}

/** An error object's `code` as the HTTP status it stands for (OpenRouter and vLLM put the status there), else null. */
function statusOfCode(code: unknown): number | null {
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599 ? code : null;
}

/** Whether an answer carries an `error` object and none of what a success has (`choices`, `data`). */
function isErrorOnly(body: ErrorBody): boolean {
  return body.error !== null && typeof body.error === 'object' && !Array.isArray(body.error) && body.choices === undefined && body.data === undefined;
}

const errorKey = Buffer.from('"error"');

/**
 * The status a 2xx JSON answer stands for when it is an error and no answer, else null: OpenRouter
 * answers 200 when a failure comes after the model has started ("200 with an error body"). It is
 * the error's `code` when that is an HTTP status, else 502, so retries and fallbacks treat it as the
 * failure it is. Only a body with an `"error"` key is parsed (inside a JSON string a quote is
 * escaped, so the text of an answer cannot look like one).
 */
export function failureStatusOfSuccessBody(body: Buffer): number | null {
  if (body.indexOf(errorKey) === -1) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || !isErrorOnly(parsed as ErrorBody)) return null;
  return statusOfCode(((parsed as ErrorBody).error as ErrorBody).code) ?? 502;
}

/** One entry of a pydantic validation failure: where (`loc`) and why (`msg`). */
interface ValidationIssue {
  loc?: unknown;
  msg?: unknown;
}

/** Issues named in a message before the rest are counted. */
const issuesShown = 5;

/**
 * A FastAPI/pydantic validation failure as the client's error: every issue as `field: reason`
 * (`messages[1].refusal: Extra inputs are not permitted`) and the first field as `param`, never the
 * refused values (`input`), which may be the client's data. Mistral wraps the `detail` list in
 * several ways: `{"message": {"detail": [...]}}`, `{"message": [...], "detail": [...]}`,
 * `{"message": "<that JSON as a string>"}`, and FastAPI's own `{"detail": [...]}`. Null for any other body.
 */
function describeValidationFailure(provider: string, status: number, body: { message?: unknown; detail?: unknown }): { message: string; param: string | null } | null {
  const issues = validationIssues(body);
  if (issues === null) return null;
  const described = issues.slice(0, issuesShown).map((issue) => {
    const field = fieldPath(issue.loc);
    const reason = typeof issue.msg === 'string' ? issue.msg.slice(0, 300) : 'invalid';
    return field === '' ? reason : `${field}: ${reason}`;
  });
  const more = issues.length > issuesShown ? ` (and ${issues.length - issuesShown} more)` : '';
  return {
    message: `Provider '${provider}' refused the request (HTTP ${status}): ${described.join('; ')}${more}.`,
    param: fieldPath(issues[0]!.loc) || null,
  };
}

function validationIssues(body: { message?: unknown; detail?: unknown }): ValidationIssue[] | null {
  let message = body.message;
  if (typeof message === 'string' && message.trimStart().startsWith('{')) {
    try {
      message = JSON.parse(message);
    } catch {
      return null;
    }
  }
  for (const candidate of [message, (message as { detail?: unknown } | null)?.detail, body.detail]) {
    if (Array.isArray(candidate) && candidate.length > 0 && candidate.every((issue) => issue !== null && typeof issue === 'object' && 'loc' in issue && 'msg' in issue)) return candidate as ValidationIssue[];
  }
  return null;
}

const roleTags = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/**
 * A pydantic `loc` as a request path: `["body", "messages", 1, "assistant", "refusal"]` ->
 * `messages[1].refusal` (the leading `body` and the role tag pydantic adds inside a message are left out).
 */
function fieldPath(loc: unknown): string {
  if (!Array.isArray(loc)) return '';
  let path = '';
  loc.forEach((segment, index) => {
    if (index === 0 && segment === 'body') return;
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (typeof segment === 'string') {
      if (roleTags.has(segment) && typeof loc[index - 1] === 'number' && loc[index - 2] === 'messages') return;
      path += path === '' ? segment : `.${segment}`;
    }
  });
  return path;
}
