import type { ChatMessage, ChatRequest } from '../canonical/chat.ts';
import type { CompletionRequest } from '../canonical/completions.ts';
import type { EmbeddingRequest } from '../canonical/embeddings.ts';
import type { CanonicalRequest, CanonicalResponse, Operation } from '../canonical/operation.ts';
import { fileTokens, imageTokens } from './estimate-attachment-tokens.ts';
import { estimateTokens } from './estimate-tokens.ts';

/** Chat formatting around each message (role markers, separators), as OpenAI's own counting adds. */
const perMessageTokens = 4;

function contentTokens(content: ChatMessage['content']): number {
  if (typeof content === 'string') return estimateTokens(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    // Parsers refuse malformed parts; a plugin's or template's odd one counts as nothing rather than failing.
    if (part === null || typeof part !== 'object') continue;
    if (part.type === 'text') tokens += typeof part.text === 'string' ? estimateTokens(part.text) : 0;
    else if (part.type === 'image_url') tokens += imageTokens(part);
    else if (part.type === 'file') tokens += fileTokens(part);
  }
  return tokens;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function tokensOfInputs(input: unknown): number {
  if (typeof input === 'string') return estimateTokens(input);
  if (!Array.isArray(input)) return 0;
  if (input.length > 0 && typeof input[0] === 'number') return input.length;
  let tokens = 0;
  for (const item of input) tokens += typeof item === 'string' ? estimateTokens(item) : Array.isArray(item) ? item.length : 0;
  return tokens;
}

/** An estimate of the prompt tokens of a request, before any provider has counted them. */
export function estimatePromptTokens(operation: Operation, request: CanonicalRequest): number {
  switch (operation) {
    case 'chat': {
      const chat = request as ChatRequest;
      let tokens = 3;
      for (const message of chat.messages) {
        tokens += perMessageTokens + contentTokens(message.content);
        if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) tokens += estimateTokens(stringOr(call?.function?.name)) + estimateTokens(stringOr(call?.function?.arguments));
      }
      if (chat.tools && chat.tools.length > 0) tokens += estimateTokens(JSON.stringify(chat.tools));
      return tokens;
    }
    case 'completions':
      return tokensOfInputs((request as CompletionRequest).prompt);
    case 'embeddings':
      return tokensOfInputs((request as EmbeddingRequest).input);
    default:
      // Forwarded operations (moderations, images, audio): only the provider's reported usage counts.
      return 0;
  }
}

/**
 * Whether a request of the operation is answered in output tokens that max_tokens bounds: chat and
 * completions. An embedding has input tokens only; the forwarded operations are estimated apart
 * (estimate-forwarded-usage.ts).
 */
export function answersInOutputTokens(operation: Operation): boolean {
  return operation === 'chat' || operation === 'completions';
}

/**
 * The most output tokens a request can produce: what it asked for (max_completion_tokens or
 * max_tokens, times n), else `fallback`; never more than the model's own maximum when known.
 * Embeddings and the forwarded operations (images, audio, moderations) are not counted.
 */
export function requestedOutputTokens(operation: Operation, request: CanonicalRequest, fallback: number, modelMaximum?: number): number {
  if (!answersInOutputTokens(operation)) return 0;
  const body = request as ChatRequest & CompletionRequest;
  const asked = body.max_completion_tokens ?? body.max_tokens;
  let tokens = typeof asked === 'number' && asked > 0 ? asked : fallback;
  if (modelMaximum !== undefined && tokens > modelMaximum) tokens = modelMaximum;
  const choices = typeof body.n === 'number' && body.n > 1 ? body.n : 1;
  return tokens * choices;
}

/** An estimate of the output tokens of a complete response that reported no usage. */
export function estimateResponseTokens(response: CanonicalResponse): number {
  const choices = (response as { choices?: Array<{ message?: ChatMessage; text?: string }> }).choices;
  if (!Array.isArray(choices)) return 0;
  let tokens = 0;
  for (const choice of choices) {
    if (typeof choice.text === 'string') tokens += estimateTokens(choice.text);
    if (choice.message) {
      tokens += contentTokens(choice.message.content);
      if (typeof choice.message.reasoning_content === 'string') tokens += estimateTokens(choice.message.reasoning_content);
      if (choice.message.tool_calls) for (const call of choice.message.tool_calls) tokens += estimateTokens(call.function.arguments);
    }
  }
  return tokens;
}

