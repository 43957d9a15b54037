import type { ChatRequest } from '../../canonical/chat.ts';
import { stopSequences } from '../output-limits.ts';
import type { OllamaOptions } from './ollama-api.ts';

/** Settings of the provider entry that shape every request (config `options:`). */
export interface OllamaRequestOptions {
  /** How long Ollama keeps the model loaded after the call (`5m`, `1h`, seconds, -1). */
  keepAlive?: string | number;
  /** The context window, in tokens (Ollama's default is small and silently truncates the prompt). */
  numCtx?: number;
}

/** OpenAI's sampling fields as chat and text completions both carry them (read defensively: a completion request types most as unknown). */
const numberFields = ['temperature', 'top_p', 'top_k', 'seed', 'presence_penalty', 'frequency_penalty'] as const;

/**
 * A request's sampling settings as Ollama's `options` (the Modelfile parameter names): OpenAI's
 * temperature, top_p, seed, penalties and `stop` (a list) under the same names, the output limit
 * as `num_predict`, the canonical `top_k` extension (an Anthropic-format client's) as `top_k`, and
 * the entry's `num_ctx`. Undefined when there is nothing to send.
 */
export function ollamaOptions(request: Record<string, unknown>, maxTokens: number | undefined, settings: OllamaRequestOptions): OllamaOptions | undefined {
  const options: OllamaOptions = {};
  for (const name of numberFields) {
    const value = request[name];
    if (typeof value === 'number') options[name] = value;
  }
  if (maxTokens !== undefined) options.num_predict = maxTokens;
  const stops = stopSequences(request.stop as ChatRequest['stop']);
  if (stops) options.stop = stops;
  if (typeof settings.numCtx === 'number') options.num_ctx = settings.numCtx;
  return Object.keys(options).length > 0 ? options : undefined;
}
