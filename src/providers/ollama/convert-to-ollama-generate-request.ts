import type { CompletionRequest } from '../../canonical/completions.ts';
import { errors } from '../../errors/catalogue.ts';
import type { OllamaGenerateRequest } from './ollama-api.ts';
import { ollamaOptions, type OllamaRequestOptions } from './ollama-options.ts';

/** The /api/generate body, what in the request Ollama cannot honour, and the prompt to echo. */
export interface OllamaGeneratePlan {
  body: OllamaGenerateRequest;
  /**
   * Parameters set to a value Ollama has no equivalent for, left out (the provider warns, or
   * refuses under strict_params): `best_of` above 1, `logprobs`, `logit_bias`, `user`.
   */
  unhonoured: string[];
  /** The prompt, when the client asked for it back in front of the completion (`echo: true`). */
  echo: string | undefined;
}

/** Parameters of a completion request Ollama cannot honour when set (as the gateway counts "set" for chat: not undefined, null or false). */
const unhonourable = ['logprobs', 'logit_bias', 'user'] as const;

/**
 * OpenAI's `prompt` as Ollama's one prompt text. A list holding one text is that text; several
 * prompts (OpenAI answers each) and token-id prompts cannot be sent, and are refused naming `prompt`.
 */
function promptOf(prompt: CompletionRequest['prompt']): string {
  if (typeof prompt === 'string') return prompt;
  if (!Array.isArray(prompt) || prompt.length === 0) throw errors.invalidRequest("'prompt' must not be empty.", 'prompt');
  if (!prompt.every((item) => typeof item === 'string')) throw errors.invalidRequest("Provider 'ollama' takes the prompt as text; token-id prompts are not supported.", 'prompt');
  if (prompt.length > 1) throw errors.invalidRequest("Provider 'ollama' completes one prompt per request; send each prompt as its own request.", 'prompt');
  return prompt[0] as string;
}

/**
 * A legacy text completion (POST /v1/completions) as an /api/generate body: the prompt, `suffix`
 * for fill-in-the-middle models, the sampling settings as `options` (max_tokens as num_predict;
 * OpenAI's default of 16 tokens is not imposed) and the entry's keep_alive / num_ctx. `raw` is not
 * sent: Ollama puts the prompt into the model's template, as its own /v1/completions does (a base
 * model's template is the prompt itself), which also keeps `suffix` working. `stream` is always
 * written (Ollama streams when it is missing). `n` above 1 is refused: Ollama answers once.
 */
export function convertToOllamaGenerateRequest(request: CompletionRequest, model: string, stream: boolean, settings: OllamaRequestOptions = {}): OllamaGeneratePlan {
  if (typeof request.n === 'number' && request.n > 1) {
    throw errors.invalidRequest("Provider 'ollama' returns one choice per request; 'n' must be 1.", 'n');
  }
  const prompt = promptOf(request.prompt);
  const body: OllamaGenerateRequest = { model, prompt, stream };
  if (typeof request.suffix === 'string' && request.suffix !== '') body.suffix = request.suffix;
  const options = ollamaOptions(request, typeof request.max_tokens === 'number' ? request.max_tokens : undefined, settings);
  if (options) body.options = options;
  if (settings.keepAlive !== undefined) body.keep_alive = settings.keepAlive;
  const unhonoured: string[] = [];
  if (typeof request.best_of === 'number' && request.best_of > 1) unhonoured.push('best_of');
  for (const name of unhonourable) {
    const value = request[name];
    if (value !== undefined && value !== null && value !== false) unhonoured.push(name);
  }
  return { body, unhonoured, echo: request.echo === true ? prompt : undefined };
}
