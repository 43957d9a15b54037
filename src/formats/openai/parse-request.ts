import type { CanonicalRequest, Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { checkModelName } from '../../canonical/model-name.ts';
import { checkContentParts } from './check-content-parts.ts';

/**
 * Checks the fields the gateway relies on, cheaply and by hand (this runs on every request):
 * model, stream, and the operation's required input (a chat message's content parts included:
 * check-content-parts.ts, since the guardrails and adapters read them). Everything else is the provider's
 * business and is passed on untouched. Errors name the field, as OpenAI does. `model` is required
 * on every endpoint, also where OpenAI has a default (moderations, images): the gateway routes by it.
 * (Transcriptions, translations and image edits are forms: formats/openai-forwarded/parse-upload-form.ts.)
 */
export function parseOpenAIRequest(operation: Operation, body: unknown): CanonicalRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.invalidRequest('The request body must be a JSON object.');
  const request = body as Record<string, unknown>;
  if (request.model === undefined) throw errors.missingField('model');
  if (typeof request.model !== 'string' || request.model === '') throw errors.invalidField('model', 'a non-empty string');
  checkModelName(request.model);
  if (request.stream !== undefined && request.stream !== null && typeof request.stream !== 'boolean') throw errors.invalidField('stream', 'a boolean');
  if (operation === 'chat' || operation === 'completions') checkStreamOptions(request.stream_options);
  switch (operation) {
    case 'chat':
      // A prompt-template request names a template instead of messages; the prompt-template
      // plugin fills them. Until then they are empty, so code that reads them keeps working.
      if (request.messages === undefined && request.template !== undefined) request.messages = [];
      else checkMessages(request.messages);
      checkToolDefinitions(request);
      break;
    case 'completions':
      if (request.prompt === undefined) throw errors.missingField('prompt');
      if (typeof request.prompt !== 'string' && !Array.isArray(request.prompt)) throw errors.invalidField('prompt', 'a string or an array');
      break;
    case 'embeddings':
      checkInput(request);
      checkEmbeddingInput(request.input);
      checkEmbeddingOptions(request);
      break;
    case 'moderations':
      checkInput(request);
      break;
    case 'image_generations':
      if (request.prompt === undefined) throw errors.missingField('prompt');
      if (typeof request.prompt !== 'string') throw errors.invalidField('prompt', 'a string');
      break;
    case 'speech':
      if (request.input === undefined) throw errors.missingField('input');
      if (typeof request.input !== 'string') throw errors.invalidField('input', 'a string');
      if (request.voice === undefined) throw errors.missingField('voice');
      break;
    case 'rerank':
      checkRerankFields(request);
      break;
  }
  return request as unknown as CanonicalRequest;
}

/**
 * `stream_options` as OpenAI takes it: an object (or null), its `include_usage` a boolean. The
 * gateway merges its own `include_usage` into it (the usage it needs for the ledger), which would
 * turn a string into an object of its characters; OpenAI refuses such a value, so the gateway does.
 * A null `include_usage` counts as not given; other keys (`include_obfuscation`) are the provider's.
 */
function checkStreamOptions(streamOptions: unknown): void {
  if (streamOptions === undefined || streamOptions === null) return;
  if (typeof streamOptions !== 'object' || Array.isArray(streamOptions)) throw errors.invalidField('stream_options', 'an object');
  const includeUsage = (streamOptions as { include_usage?: unknown }).include_usage;
  if (includeUsage !== undefined && includeUsage !== null && typeof includeUsage !== 'boolean') throw errors.invalidField('stream_options.include_usage', 'a boolean');
}

function checkInput(request: Record<string, unknown>): void {
  if (request.input === undefined) throw errors.missingField('input');
  if (typeof request.input !== 'string' && !Array.isArray(request.input)) throw errors.invalidField('input', 'a string or an array');
}

/** OpenAI's most inputs in one embeddings request. */
export const maxEmbeddingInputs = 2048;

/**
 * An embeddings `input` as OpenAI takes it: a non-empty string, or an array of at most 2048
 * entries, none an empty string or an empty token array. Translated providers take fewer per
 * call (Gemini 100, Cohere 96), so one request is several calls: an input of many empty strings
 * would otherwise be thousands of upstream calls that count no tokens against limits.
 */
function checkEmbeddingInput(input: unknown): void {
  if (input === '') throw errors.invalidRequest("'input' cannot be an empty string.", 'input');
  if (!Array.isArray(input)) return;
  if (input.length === 0) throw errors.invalidRequest("'input' must contain at least one entry.", 'input');
  if (input.length > maxEmbeddingInputs) throw errors.invalidRequest(`'input' holds ${input.length} entries; at most ${maxEmbeddingInputs} may go in one request.`, 'input');
  for (let index = 0; index < input.length; index++) {
    const entry: unknown = input[index];
    if (entry === '' || (Array.isArray(entry) && entry.length === 0)) throw errors.invalidRequest(`'input[${index}]' cannot be empty.`, `input[${index}]`);
  }
}

/**
 * `encoding_format` and `dimensions` as OpenAI takes them: `float` or `base64`, and a positive
 * integer (null counts as not given). Translated providers would otherwise turn another value
 * into something the client did not ask for (floats for `int8`, full-size vectors for `"abc"`).
 */
function checkEmbeddingOptions(request: Record<string, unknown>): void {
  const format = request.encoding_format;
  if (format !== undefined && format !== null && format !== 'float' && format !== 'base64') {
    throw errors.invalidRequest("Invalid value for 'encoding_format': expected 'float' or 'base64'.", 'encoding_format');
  }
  const dimensions = request.dimensions;
  if (dimensions !== undefined && dimensions !== null && !(Number.isInteger(dimensions) && (dimensions as number) > 0)) {
    throw errors.invalidRequest("Invalid value for 'dimensions': expected a positive integer.", 'dimensions');
  }
}

/** Rerank (Cohere's shape): a query, and documents as strings or `{ text }` objects; top_n and the rest are the provider's. */
function checkRerankFields(request: Record<string, unknown>): void {
  if (request.query === undefined) throw errors.missingField('query');
  if (typeof request.query !== 'string') throw errors.invalidField('query', 'a string');
  const documents = request.documents;
  if (documents === undefined) throw errors.missingField('documents');
  if (!Array.isArray(documents)) throw errors.invalidField('documents', 'an array of strings or of objects with a text');
  if (documents.length === 0) throw errors.invalidRequest("'documents' must contain at least one document.", 'documents');
  for (let index = 0; index < documents.length; index++) {
    const document = documents[index] as unknown;
    if (typeof document === 'string') continue;
    if (document === null || typeof document !== 'object' || typeof (document as { text?: unknown }).text !== 'string') {
      throw errors.invalidField(`documents[${index}]`, 'a string or an object with a string text');
    }
  }
}

const roles = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function checkMessages(messages: unknown): void {
  if (messages === undefined) throw errors.missingField('messages');
  if (!Array.isArray(messages)) throw errors.invalidField('messages', 'an array');
  if (messages.length === 0) throw errors.invalidRequest("'messages' must contain at least one message.", 'messages');
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as Record<string, unknown> | null;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) throw errors.invalidField(`messages[${index}]`, 'an object');
    if (message.role === undefined) throw errors.missingField(`messages[${index}].role`);
    if (typeof message.role !== 'string' || !roles.has(message.role)) {
      throw errors.invalidField(`messages[${index}].role`, "one of 'system', 'developer', 'user', 'assistant', 'tool'");
    }
    const content = message.content;
    if (Array.isArray(content)) checkContentParts(content, `messages[${index}].content`);
    else if (content !== undefined && content !== null && typeof content !== 'string') {
      throw errors.invalidField(`messages[${index}].content`, 'a string or an array of content parts');
    }
    if (message.tool_calls !== undefined && message.tool_calls !== null) checkToolCalls(message.tool_calls, `messages[${index}].tool_calls`);
  }
}

/**
 * An assistant's tool calls in the history, as OpenAI takes them: objects whose `function` has a
 * string name and arguments (the guardrails read the arguments, the adapters map both). The id may
 * be left out: the openai adapter makes one up for the calls that lack it (openai-tool-call-ids.ts).
 */
function checkToolCalls(calls: unknown, param: string): void {
  if (!Array.isArray(calls)) throw errors.invalidField(param, 'an array');
  for (let index = 0; index < calls.length; index++) {
    const call = calls[index] as unknown;
    const callParam = `${param}[${index}]`;
    if (!isObject(call)) throw errors.invalidField(callParam, 'an object');
    if (call.id !== undefined && call.id !== null && typeof call.id !== 'string') throw errors.invalidField(`${callParam}.id`, 'a string');
    // GPT-5's custom (free-form) tool calls: {type: 'custom', custom: {name, input}}, sent back as the model wrote them.
    if (call.type === 'custom') {
      checkCustomToolCall(call.custom, `${callParam}.custom`);
      continue;
    }
    const fn = call.function;
    if (fn === undefined) throw errors.missingField(`${callParam}.function`);
    if (!isObject(fn)) throw errors.invalidField(`${callParam}.function`, 'an object');
    for (const field of ['name', 'arguments']) {
      if (fn[field] === undefined) throw errors.missingField(`${callParam}.function.${field}`);
      if (typeof fn[field] !== 'string') throw errors.invalidField(`${callParam}.function.${field}`, 'a string');
    }
  }
}

function checkCustomToolCall(custom: unknown, param: string): void {
  if (custom === undefined) throw errors.missingField(param);
  if (!isObject(custom)) throw errors.invalidField(param, 'an object');
  for (const field of ['name', 'input']) {
    if (custom[field] === undefined) throw errors.missingField(`${param}.${field}`);
    if (typeof custom[field] !== 'string') throw errors.invalidField(`${param}.${field}`, 'a string');
  }
}

/**
 * `tools` (and the legacy `functions`): arrays of objects, a function tool's `function` an object
 * with a string name. The definitions' schemas and other tool types are the provider's to judge.
 */
function checkToolDefinitions(request: Record<string, unknown>): void {
  const tools = request.tools;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools)) throw errors.invalidField('tools', 'an array');
    for (let index = 0; index < tools.length; index++) {
      const tool = tools[index] as unknown;
      if (!isObject(tool)) throw errors.invalidField(`tools[${index}]`, 'an object');
      if (tool.type === 'function' || (tool.type === undefined && tool.function !== undefined)) checkFunction(tool.function, `tools[${index}].function`);
    }
  }
  const functions = request.functions;
  if (functions !== undefined && functions !== null) {
    if (!Array.isArray(functions)) throw errors.invalidField('functions', 'an array');
    for (let index = 0; index < functions.length; index++) checkFunction(functions[index], `functions[${index}]`);
  }
}

function checkFunction(fn: unknown, param: string): void {
  if (fn === undefined) throw errors.missingField(param);
  if (!isObject(fn)) throw errors.invalidField(param, 'an object');
  if (fn.name === undefined) throw errors.missingField(`${param}.name`);
  if (typeof fn.name !== 'string') throw errors.invalidField(`${param}.name`, 'a string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
