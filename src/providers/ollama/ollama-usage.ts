import type { Usage } from '../../canonical/chat.ts';
import type { OllamaChatResponse } from './ollama-api.ts';

/**
 * Ollama's counts as OpenAI usage: prompt_eval_count is the prompt, eval_count the answer
 * (thinking included, as OpenAI counts reasoning in completion_tokens; Ollama does not count it
 * apart). A count Ollama leaves out is 0 (it omits prompt_eval_count when the whole prompt came
 * from its cache). Undefined when Ollama reported neither, so the gateway estimates.
 */
export function mapOllamaUsage(response: Pick<OllamaChatResponse, 'prompt_eval_count' | 'eval_count'>): Usage | undefined {
  if (typeof response.prompt_eval_count !== 'number' && typeof response.eval_count !== 'number') return undefined;
  const prompt = response.prompt_eval_count ?? 0;
  const completion = response.eval_count ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
