import type { ChatMessage, ContentPart } from '../canonical/chat.ts';
import { estimateTokens } from '../usage/estimate-tokens.ts';
import type { RoutingRequest } from './routing-request.ts';

/** Tokens per message for role and framing, as OpenAI's own counting adds. */
const tokensPerMessage = 4;

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content as ContentPart[]) if (part.type === 'text') text += (text === '' ? '' : '\n') + part.text;
  return text;
}

/**
 * Facts about a request body that rules and strategies ask for, each computed on first use and
 * kept: a request that no rule inspects never pays for a token estimate.
 */
export class RequestFacts {
  readonly #request: RoutingRequest;
  #promptTokens: number | undefined;
  #hasImages: boolean | undefined;
  #hasTools: boolean | undefined;
  #lastUserText: string | undefined;

  constructor(request: RoutingRequest) {
    this.#request = request;
  }

  #messages(): ChatMessage[] {
    const messages = (this.#request.body as { messages?: unknown }).messages;
    return Array.isArray(messages) ? (messages as ChatMessage[]) : [];
  }

  /** Estimated prompt tokens (messages, tools, or a completions prompt / embeddings input). */
  get promptTokens(): number {
    if (this.#promptTokens !== undefined) return this.#promptTokens;
    const body = this.#request.body as { messages?: unknown; prompt?: unknown; input?: unknown; tools?: unknown };
    let tokens = 0;
    if (Array.isArray(body.messages)) {
      for (const message of body.messages as ChatMessage[]) tokens += tokensPerMessage + estimateTokens(textOf(message.content)) + (message.tool_calls ? estimateTokens(JSON.stringify(message.tool_calls)) : 0);
      if (Array.isArray(body.tools) && body.tools.length > 0) tokens += estimateTokens(JSON.stringify(body.tools));
    } else {
      const text = body.prompt ?? body.input;
      tokens = typeof text === 'string' ? estimateTokens(text) : Array.isArray(text) ? estimateTokens(text.map((item) => (typeof item === 'string' ? item : '')).join('\n')) : 0;
    }
    this.#promptTokens = tokens;
    return tokens;
  }

  /** The completion tokens the client allows (max_tokens / max_completion_tokens), or null. */
  get maxOutputTokens(): number | null {
    const body = this.#request.body as { max_tokens?: unknown; max_completion_tokens?: unknown };
    const value = body.max_completion_tokens ?? body.max_tokens;
    return typeof value === 'number' && value > 0 ? value : null;
  }

  get hasImages(): boolean {
    this.#hasImages ??= this.#messages().some((message) => Array.isArray(message.content) && (message.content as ContentPart[]).some((part) => part.type === 'image_url'));
    return this.#hasImages;
  }

  /** Tools offered, or tool calls / tool results in the conversation. */
  get hasTools(): boolean {
    if (this.#hasTools === undefined) {
      const tools = (this.#request.body as { tools?: unknown }).tools;
      this.#hasTools = (Array.isArray(tools) && tools.length > 0) || this.#messages().some((message) => message.role === 'tool' || (Array.isArray(message.tool_calls) && message.tool_calls.length > 0));
    }
    return this.#hasTools;
  }

  /** The text of the last user message ('' when there is none). */
  get lastUserText(): string {
    if (this.#lastUserText === undefined) {
      const messages = this.#messages();
      let text = '';
      for (let index = messages.length - 1; index >= 0; index--) {
        if (messages[index].role === 'user') {
          text = textOf(messages[index].content);
          break;
        }
      }
      if (messages.length === 0) {
        const prompt = (this.#request.body as { prompt?: unknown }).prompt;
        if (typeof prompt === 'string') text = prompt;
      }
      this.#lastUserText = text;
    }
    return this.#lastUserText;
  }
}
