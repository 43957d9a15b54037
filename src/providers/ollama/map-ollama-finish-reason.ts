import type { FinishReason } from '../../canonical/chat.ts';

/**
 * Ollama's done_reason as OpenAI's finish_reason. Ollama says `stop` whether or not the model
 * called tools, so calls make it `tool_calls`; `length` is the num_predict limit. Other reasons
 * (`load`, `unload`, none) are `stop`.
 */
export function mapOllamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  return hasToolCalls ? 'tool_calls' : 'stop';
}
