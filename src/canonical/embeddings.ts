import type { Usage } from './chat.ts';

/** Embeddings (POST /v1/embeddings), as OpenAI defines them. */
export interface EmbeddingRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  [extra: string]: unknown;
}

export interface Embedding {
  object: 'embedding';
  index: number;
  embedding: number[] | string;
}

export interface EmbeddingResponse {
  object: 'list';
  data: Embedding[];
  model: string;
  usage: Pick<Usage, 'prompt_tokens' | 'total_tokens'> & { estimated?: boolean };
}
