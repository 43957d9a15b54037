import { errors } from '../../errors/catalogue.ts';
import { isObject, isSet, optionalOneOf, optionalString, requireString, type JsonObject } from './check-fields.ts';
import { decodeReasoningState } from './responses-reasoning-state.ts';

/**
 * Checks a Responses request's `input`: a string, or a list of message, function_call,
 * function_call_output and reasoning items. Items the gateway cannot carry (built-in tool calls,
 * references to stored items) and content it cannot send on (uploaded file ids, file URLs) are
 * refused here, naming the field, rather than dropped.
 */
export function checkResponsesInput(input: unknown): void {
  if (input === undefined || input === null) throw errors.missingField('input');
  if (typeof input === 'string') return;
  if (!Array.isArray(input)) throw errors.invalidField('input', 'a string or an array of input items');
  if (input.length === 0) throw errors.invalidRequest("'input' must contain at least one item.", 'input');
  input.forEach((item, index) => checkItem(item, `input[${index}]`));
}

const roles = new Set(['user', 'assistant', 'system', 'developer']);

function checkItem(item: unknown, param: string): void {
  if (!isObject(item)) throw errors.invalidField(param, 'an input item object');
  const type = item.type;
  if (type === undefined || type === null || type === 'message') return checkMessage(item, param);
  if (typeof type !== 'string') throw errors.invalidField(`${param}.type`, 'a string');
  switch (type) {
    case 'function_call':
      requireString(item, 'call_id', `${param}.call_id`);
      requireString(item, 'name', `${param}.name`);
      requireString(item, 'arguments', `${param}.arguments`);
      return;
    case 'function_call_output':
      requireString(item, 'call_id', `${param}.call_id`);
      return checkFunctionOutput(item.output, `${param}.output`);
    case 'reasoning':
      // Earlier reasoning sent back as history: the gateway's own signed thinking goes back with
      // its turn, so damage to it is refused here (unsigned reasoning text goes back as such).
      decodeReasoningState(item.encrypted_content, `${param}.encrypted_content`);
      return;
    case 'item_reference':
      throw errors.unsupportedValue(`${param}.type`, "Input items of type 'item_reference' refer to items stored by OpenAI; this gateway stores nothing (it is stateless). Send the items themselves.");
    default:
      throw errors.unsupportedValue(`${param}.type`, `Input items of type '${type}' are not supported: this gateway carries messages, function_call, function_call_output and reasoning items (built-in tools do not run here).`);
  }
}

function checkMessage(item: JsonObject, param: string): void {
  if (item.role === undefined) throw errors.missingField(`${param}.role`);
  if (typeof item.role !== 'string' || !roles.has(item.role)) throw errors.invalidField(`${param}.role`, "one of 'user', 'assistant', 'system', 'developer'");
  const content = item.content;
  if (content === undefined || content === null) throw errors.missingField(`${param}.content`);
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw errors.invalidField(`${param}.content`, 'a string or an array of content parts');
  const assistant = item.role === 'assistant';
  content.forEach((part, index) => checkPart(part, `${param}.content[${index}]`, assistant));
}

function checkFunctionOutput(output: unknown, param: string): void {
  if (output === undefined || output === null) throw errors.missingField(param);
  if (typeof output === 'string') return;
  if (!Array.isArray(output)) throw errors.invalidField(param, 'a string or an array of content parts');
  output.forEach((part, index) => checkPart(part, `${param}[${index}]`, false));
}

const imageDetails = new Set(['auto', 'low', 'high', 'original']);

/** One content part: input parts for user-side messages and tool output, output parts for assistant history. */
function checkPart(part: unknown, param: string, assistant: boolean): void {
  if (!isObject(part)) throw errors.invalidField(param, 'a content part object');
  if (typeof part.type !== 'string') throw errors.invalidField(`${param}.type`, 'a string');
  switch (part.type) {
    case 'input_text':
      requireString(part, 'text', `${param}.text`);
      return;
    case 'output_text':
      if (!assistant) break;
      requireString(part, 'text', `${param}.text`);
      return;
    case 'refusal':
      if (!assistant) break;
      requireString(part, 'refusal', `${param}.refusal`);
      return;
    case 'input_image':
      if (assistant) break;
      return checkImage(part, param);
    case 'input_file':
      if (assistant) break;
      return checkFile(part, param);
  }
  const allowed = assistant ? "'output_text', 'refusal' or 'input_text'" : "'input_text', 'input_image' or 'input_file'";
  throw errors.unsupportedValue(`${param}.type`, `Content parts of type '${part.type}' are not supported here; expected ${allowed}.`);
}

function checkImage(part: JsonObject, param: string): void {
  if (isSet(part.file_id)) throw errors.unsupportedValue(`${param}.file_id`, "Images uploaded to OpenAI ('file_id') cannot be read through this gateway; send 'image_url' with a data: URL or an https URL.");
  const url = requireString(part, 'image_url', `${param}.image_url`);
  if (!/^(data:|https?:\/\/)/i.test(url)) throw errors.invalidField(`${param}.image_url`, 'a data: URL or an http(s) URL');
  optionalOneOf(part, 'detail', `${param}.detail`, imageDetails);
}

function checkFile(part: JsonObject, param: string): void {
  if (isSet(part.file_id)) throw errors.unsupportedValue(`${param}.file_id`, "Files uploaded to OpenAI ('file_id') cannot be read through this gateway; send the file inline as 'file_data' (a base64 data: URL).");
  if (isSet(part.file_url)) throw errors.unsupportedValue(`${param}.file_url`, "Files by URL ('file_url') are not supported by this gateway; send the file inline as 'file_data' (a base64 data: URL).");
  requireString(part, 'file_data', `${param}.file_data`);
  optionalString(part, 'filename', `${param}.filename`);
}
