import { errors } from '../../errors/catalogue.ts';
import type { AnthropicClientRequest } from './anthropic-client-request.ts';
import { checkModelName } from '../../canonical/model-name.ts';

/**
 * Checks, cheaply and by hand (this runs on every request), the fields the gateway maps or
 * relies on, and names the field in Anthropic's dotted style (`messages.1.content.0.source`).
 * Block and tool types the gateway does not map are let through unchecked: Anthropic adds new
 * ones, and a client talking to an Anthropic provider must not be refused for using them.
 */
export function parseAnthropicRequest(body: unknown, options: { countTokens?: boolean } = {}): AnthropicClientRequest {
  if (!isObject(body)) throw errors.invalidRequest('The request body must be a JSON object.');
  const request = body;
  if (request.model === undefined) throw errors.missingField('model');
  if (typeof request.model !== 'string' || request.model === '') throw errors.invalidField('model', 'a non-empty string');
  checkModelName(request.model);
  if (!options.countTokens) {
    if (request.max_tokens === undefined) throw errors.missingField('max_tokens');
    // 0 is valid: it fills the prompt cache without generating (Anthropic's documented cache pre-warming).
    if (!Number.isInteger(request.max_tokens) || (request.max_tokens as number) < 0) throw errors.invalidField('max_tokens', 'a non-negative integer');
  }
  optional(request, 'stream', 'boolean', 'a boolean');
  optional(request, 'temperature', 'number', 'a number');
  optional(request, 'top_p', 'number', 'a number');
  if (request.top_k !== undefined && (!Number.isInteger(request.top_k) || (request.top_k as number) < 0)) throw errors.invalidField('top_k', 'a non-negative integer');
  checkSystem(request.system);
  checkMessages(request.messages);
  checkStopSequences(request.stop_sequences);
  checkTools(request.tools);
  checkToolChoice(request.tool_choice);
  checkThinking(request.thinking);
  checkOutputConfig(request.output_config);
  checkOutputFormat(request.output_format, 'output_format');
  if (request.metadata !== undefined && request.metadata !== null) {
    if (!isObject(request.metadata)) throw errors.invalidField('metadata', 'an object');
    const userId = request.metadata.user_id;
    if (userId !== undefined && userId !== null && typeof userId !== 'string') throw errors.invalidField('metadata.user_id', 'a string');
  }
  return request as unknown as AnthropicClientRequest;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function optional(request: Record<string, unknown>, field: string, type: 'boolean' | 'number', expected: string): void {
  const value = request[field];
  if (value !== undefined && value !== null && typeof value !== type) throw errors.invalidField(field, expected);
}

function requireString(block: Record<string, unknown>, field: string, param: string): void {
  if (block[field] === undefined) throw errors.missingField(`${param}.${field}`);
  if (typeof block[field] !== 'string') throw errors.invalidField(`${param}.${field}`, 'a string');
}

function checkSystem(system: unknown): void {
  if (system === undefined || system === null || typeof system === 'string') return;
  if (!Array.isArray(system)) throw errors.invalidField('system', 'a string or an array of text blocks');
  checkTextBlocks(system, 'system');
}

/** System text (the `system` field, or a `system` message's content) is text blocks only. */
function checkTextBlocks(blocks: unknown[], param: string): void {
  blocks.forEach((block, index) => {
    const blockParam = `${param}.${index}`;
    if (!isObject(block) || block.type !== 'text') throw errors.invalidField(blockParam, "a block of type 'text'");
    requireString(block, 'text', blockParam);
  });
}

/** `system` entries inside `messages` are Anthropic's mid-conversation system messages (SDK SystemMessageParam). */
const roles = new Set(['user', 'assistant', 'system']);

function checkMessages(messages: unknown): void {
  if (messages === undefined) throw errors.missingField('messages');
  if (!Array.isArray(messages)) throw errors.invalidField('messages', 'an array');
  if (messages.length === 0) throw errors.invalidRequest("'messages' must contain at least one message.", 'messages');
  messages.forEach((message, index) => {
    const param = `messages.${index}`;
    if (!isObject(message)) throw errors.invalidField(param, 'an object');
    if (message.role === undefined) throw errors.missingField(`${param}.role`);
    if (typeof message.role !== 'string' || !roles.has(message.role)) throw errors.invalidField(`${param}.role`, "'user', 'assistant' or 'system'");
    if (message.content === undefined) throw errors.missingField(`${param}.content`);
    if (typeof message.content === 'string') return;
    if (!Array.isArray(message.content)) throw errors.invalidField(`${param}.content`, 'a string or an array of content blocks');
    if (message.role === 'system') return checkTextBlocks(message.content, `${param}.content`);
    message.content.forEach((block, blockIndex) => checkBlock(block, `${param}.content.${blockIndex}`));
  });
}

function checkSource(block: Record<string, unknown>, param: string): void {
  const source = block.source;
  if (!isObject(source)) throw errors.invalidField(`${param}.source`, 'an object');
  switch (source.type) {
    case 'base64':
      requireString(source, 'media_type', `${param}.source`);
      requireString(source, 'data', `${param}.source`);
      return;
    case 'url':
      requireString(source, 'url', `${param}.source`);
      return;
    case 'text':
      requireString(source, 'data', `${param}.source`);
      return;
    default:
      // file ids, content sources: Anthropic's own; only an Anthropic provider can read them.
      if (typeof source.type !== 'string') throw errors.invalidField(`${param}.source.type`, 'a string');
  }
}

function checkBlock(block: unknown, param: string): void {
  if (!isObject(block)) throw errors.invalidField(param, 'a content block object');
  if (typeof block.type !== 'string') throw errors.invalidField(`${param}.type`, 'a string');
  switch (block.type) {
    case 'text':
      requireString(block, 'text', param);
      break;
    case 'image':
    case 'document':
      checkSource(block, param);
      break;
    case 'tool_use':
      requireString(block, 'id', param);
      requireString(block, 'name', param);
      if (block.input !== undefined && !isObject(block.input)) throw errors.invalidField(`${param}.input`, 'an object');
      break;
    case 'tool_result':
      requireString(block, 'tool_use_id', param);
      if (block.content !== undefined && typeof block.content !== 'string' && !Array.isArray(block.content)) throw errors.invalidField(`${param}.content`, 'a string or an array of content blocks');
      if (Array.isArray(block.content)) block.content.forEach((inner, index) => checkBlock(inner, `${param}.content.${index}`));
      break;
    case 'thinking':
      requireString(block, 'thinking', param);
      break;
    case 'redacted_thinking':
      requireString(block, 'data', param);
      break;
  }
}

function checkStopSequences(stop: unknown): void {
  if (stop === undefined || stop === null) return;
  if (!Array.isArray(stop) || stop.some((item) => typeof item !== 'string')) throw errors.invalidField('stop_sequences', 'an array of strings');
}

function checkTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) throw errors.invalidField('tools', 'an array');
  tools.forEach((tool, index) => {
    const param = `tools.${index}`;
    if (!isObject(tool)) throw errors.invalidField(param, 'an object');
    requireString(tool, 'name', param);
    const isClientTool = tool.type === undefined || tool.type === null || tool.type === 'custom';
    if (!isClientTool) return;
    if (tool.input_schema === undefined) throw errors.missingField(`${param}.input_schema`);
    if (!isObject(tool.input_schema)) throw errors.invalidField(`${param}.input_schema`, 'a JSON Schema object');
  });
}

function checkToolChoice(choice: unknown): void {
  if (choice === undefined || choice === null) return;
  if (!isObject(choice)) throw errors.invalidField('tool_choice', 'an object');
  switch (choice.type) {
    case 'auto':
    case 'any':
    case 'none':
      return;
    case 'tool':
      requireString(choice, 'name', 'tool_choice');
      return;
    default:
      throw errors.invalidField('tool_choice.type', "'auto', 'any', 'tool' or 'none'");
  }
}

function checkOutputConfig(config: unknown): void {
  if (config === undefined || config === null) return;
  if (!isObject(config)) throw errors.invalidField('output_config', 'an object');
  if (config.effort !== undefined && config.effort !== null && typeof config.effort !== 'string') throw errors.invalidField('output_config.effort', 'a string');
  checkOutputFormat(config.format, 'output_config.format');
}

/** A json_schema format needs its schema (it becomes response_format); other types Anthropic may add pass unchecked. */
function checkOutputFormat(format: unknown, field: string): void {
  if (format === undefined || format === null) return;
  if (!isObject(format) || typeof format.type !== 'string') throw errors.invalidField(field, "an object with a 'type'");
  if (format.type === 'json_schema' && !isObject(format.schema)) throw errors.invalidField(`${field}.schema`, 'a JSON Schema object');
}

function checkThinking(thinking: unknown): void {
  if (thinking === undefined || thinking === null) return;
  if (!isObject(thinking) || typeof thinking.type !== 'string') throw errors.invalidField('thinking', "an object with a 'type'");
  if (thinking.type === 'enabled' && (!Number.isInteger(thinking.budget_tokens) || (thinking.budget_tokens as number) < 1)) {
    throw errors.invalidField('thinking.budget_tokens', 'a positive integer');
  }
}
