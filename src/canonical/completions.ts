import type { Usage } from './chat.ts';

/** Legacy text completions (POST /v1/completions), kept as OpenAI defines them. */
export interface CompletionRequest {
  model: string;
  prompt: string | string[] | number[] | number[][];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  max_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  stop?: string | string[] | null;
  n?: number | null;
  seed?: number | null;
  suffix?: string | null;
  echo?: boolean;
  user?: string;
  [extra: string]: unknown;
}

export interface CompletionChoice {
  index: number;
  text: string;
  finish_reason: 'stop' | 'length' | 'content_filter' | null;
  logprobs: unknown;
}

export interface CompletionResponse {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: CompletionChoice[];
  usage?: Usage | null;
  [extra: string]: unknown;
}
