import { errors } from '../../errors/catalogue.ts';
import { isObject, isSet, optionalBoolean, optionalInteger, optionalNumber, optionalOneOf, optionalString, requireString, type JsonObject } from './check-fields.ts';
import { checkResponsesInput } from './check-responses-input.ts';
import { checkResponsesToolChoice, checkResponsesTools } from './check-responses-tools.ts';
import type { ResponsesClientRequest } from './responses-api.ts';
import { checkModelName } from '../../canonical/model-name.ts';

/**
 * Every top-level field the gateway reads or knowingly accepts. Anything else is refused (400
 * unsupported_parameter): a Responses field the canonical model cannot carry would otherwise be
 * dropped without a word, and might have changed the answer.
 */
const knownFields = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'temperature',
  'top_p',
  'max_output_tokens',
  'text',
  'reasoning',
  'include',
  'top_logprobs',
  'user',
  'safety_identifier',
  'metadata',
  'stream',
  'stream_options',
  'store',
  'truncation',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  // Limits calls to built-in tools, which are refused anyway: nothing to honour.
  'max_tool_calls',
  // Refused below unless unset.
  'previous_response_id',
  'conversation',
  'background',
  'prompt',
  'context_management',
  'moderation',
]);

/** Fields that need state or services kept by OpenAI: accepted only when unset (null, or absent). */
const statefulFields: Readonly<Record<string, string>> = {
  previous_response_id: "'previous_response_id' continues a response stored by OpenAI; this gateway stores nothing (it is stateless). Send the whole conversation in 'input'.",
  conversation: "'conversation' continues a conversation stored by OpenAI; this gateway stores nothing (it is stateless). Send the whole conversation in 'input'.",
  prompt: "'prompt' names a prompt stored by OpenAI; this gateway cannot read it. Send 'instructions' and 'input' instead.",
  moderation: "'moderation' asks OpenAI's service to moderate the response; this gateway does not. Use the gateway's guardrail plugins instead.",
};

const truncations = new Set(['auto', 'disabled']);
const efforts = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
const summaries = new Set(['auto', 'concise', 'detailed']);
const verbosities = new Set(['low', 'medium', 'high']);
const serviceTiers = new Set(['auto', 'default', 'flex', 'scale', 'priority']);
const retentions = new Set(['in_memory', '24h']);

/**
 * Checks, by hand and cheaply (this runs on every request), a Responses API request: the fields
 * the gateway maps, the ones it refuses, and the types it relies on. Errors name the field in
 * OpenAI's style (`input[1].content[0].image_url`).
 */
export function parseResponsesRequest(body: unknown): ResponsesClientRequest {
  if (!isObject(body)) throw errors.invalidRequest('The request body must be a JSON object.');
  const request = body;
  for (const field of Object.keys(request)) {
    if (!knownFields.has(field)) throw errors.unsupportedParameter(field, `Unsupported parameter: '${field}' is not supported by this gateway's Responses API.`);
  }
  requireString(request, 'model', 'model');
  if (request.model === '') throw errors.invalidField('model', 'a non-empty string');
  checkModelName(request.model as string);
  checkStateless(request);
  checkResponsesInput(request.input);
  optionalString(request, 'instructions', 'instructions');
  checkResponsesTools(request.tools);
  checkResponsesToolChoice(request.tool_choice);
  optionalBoolean(request, 'parallel_tool_calls', 'parallel_tool_calls');
  optionalNumber(request, 'temperature', 'temperature');
  optionalNumber(request, 'top_p', 'top_p');
  optionalInteger(request, 'max_output_tokens', 'max_output_tokens', 1);
  optionalInteger(request, 'top_logprobs', 'top_logprobs', 0, 20);
  optionalInteger(request, 'max_tool_calls', 'max_tool_calls', 0);
  checkText(request.text);
  checkReasoning(request.reasoning);
  checkInclude(request.include);
  optionalString(request, 'user', 'user');
  optionalString(request, 'safety_identifier', 'safety_identifier');
  checkMetadata(request.metadata);
  optionalBoolean(request, 'stream', 'stream');
  optionalBoolean(request, 'store', 'store');
  if (isSet(request.stream_options) && !isObject(request.stream_options)) throw errors.invalidField('stream_options', 'an object');
  optionalOneOf(request, 'truncation', 'truncation', truncations);
  optionalOneOf(request, 'service_tier', 'service_tier', serviceTiers);
  optionalString(request, 'prompt_cache_key', 'prompt_cache_key');
  optionalOneOf(request, 'prompt_cache_retention', 'prompt_cache_retention', retentions);
  if (isSet(request.prompt_cache_options) && !isObject(request.prompt_cache_options)) throw errors.invalidField('prompt_cache_options', 'an object');
  return request as unknown as ResponsesClientRequest;
}

function checkStateless(request: JsonObject): void {
  for (const [field, message] of Object.entries(statefulFields)) {
    if (isSet(request[field])) throw errors.unsupportedParameter(field, message);
  }
  if (isSet(request.background)) {
    if (typeof request.background !== 'boolean') throw errors.invalidField('background', 'a boolean');
    if (request.background) throw errors.unsupportedValue('background', "'background: true' runs the response in OpenAI's service to be fetched later; this gateway stores nothing (it is stateless). Stream the response instead.");
  }
  const management = request.context_management;
  if (isSet(management) && !(Array.isArray(management) && management.length === 0)) {
    throw errors.unsupportedParameter('context_management', "'context_management' asks OpenAI's service to compact the conversation; this gateway does not.");
  }
}

function checkText(text: unknown): void {
  if (!isSet(text)) return;
  if (!isObject(text)) throw errors.invalidField('text', 'an object');
  optionalOneOf(text, 'verbosity', 'text.verbosity', verbosities);
  const format = text.format;
  if (!isSet(format)) return;
  if (!isObject(format)) throw errors.invalidField('text.format', 'an object');
  switch (format.type) {
    case 'text':
    case 'json_object':
      return;
    case 'json_schema':
      requireString(format, 'name', 'text.format.name');
      if (!isObject(format.schema)) throw (format.schema === undefined ? errors.missingField('text.format.schema') : errors.invalidField('text.format.schema', 'a JSON Schema object'));
      optionalBoolean(format, 'strict', 'text.format.strict');
      optionalString(format, 'description', 'text.format.description');
      return;
    default:
      throw errors.invalidField('text.format.type', "'text', 'json_object' or 'json_schema'");
  }
}

function checkReasoning(reasoning: unknown): void {
  if (!isSet(reasoning)) return;
  if (!isObject(reasoning)) throw errors.invalidField('reasoning', 'an object');
  optionalOneOf(reasoning, 'effort', 'reasoning.effort', efforts);
  optionalOneOf(reasoning, 'summary', 'reasoning.summary', summaries);
  optionalOneOf(reasoning, 'generate_summary', 'reasoning.generate_summary', summaries);
}

function checkInclude(include: unknown): void {
  if (!isSet(include)) return;
  if (!Array.isArray(include) || include.some((item) => typeof item !== 'string')) throw errors.invalidField('include', 'an array of strings');
}

function checkMetadata(metadata: unknown): void {
  if (!isSet(metadata)) return;
  if (!isObject(metadata)) throw errors.invalidField('metadata', 'an object of strings');
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw errors.invalidField(`metadata.${key}`, 'a string');
  }
}
