import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/database-schema.ts';
import type { KyselyStore } from '../../src/store/kysely-store.ts';
import type { Store } from '../../src/store/store.ts';

/** Prices for the echo test provider, high enough that sums are meaningful in cents. */
export const echoPricing = `
pricing:
  echo: { "*": { input: 1000, output: 2000 } }
`;
export const echoPrice = { input: 1000, output: 2000 };

export interface ChatResult {
  status: number;
  requestId: string;
  /** x-tollgate-cost-usd (non-streaming), or the cost computed from the stream's usage chunk. */
  costUsd: number;
  promptTokens: number;
  completionTokens: number;
}

/** One chat request with plain fetch (keep-alive); streams ask for the usage chunk to price themselves. */
export async function sendChat(baseURL: string, options: { requestId: string; model?: string; stream?: boolean; key?: string; content?: string }): Promise<ChatResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': options.requestId };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const body = {
    model: options.model ?? 'echo/test',
    messages: [{ role: 'user', content: options.content ?? `hello ledger ${options.requestId}` }],
    ...(options.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
  const response = await fetch(`${baseURL}/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, requestId: options.requestId, costUsd: 0, promptTokens: 0, completionTokens: 0 };
  if (!options.stream) {
    const usage = (JSON.parse(text) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    return { status: 200, requestId: options.requestId, costUsd: Number(response.headers.get('x-tollgate-cost-usd')), promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
  }
  const usageLine = text.split('\n').find((line) => line.startsWith('data: {') && line.includes('"usage":{'));
  const usage = (JSON.parse(usageLine!.slice(6)) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
  return { status: 200, requestId: options.requestId, costUsd: (usage.prompt_tokens * echoPrice.input + usage.completion_tokens * echoPrice.output) / 1e6, promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

/** Runs `count` jobs with at most `concurrency` at a time; results in job order. */
export async function runConcurrently<T>(count: number, concurrency: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await job(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export function databaseOf(store: Store): Kysely<Database> {
  return (store as KyselyStore).db;
}

export const cents = (usd: number) => Math.round(usd * 100);

/** The ledger's records of a store (a gateway on it must be closed first, so its queue is written), by request id. */
export async function ledgerRowsByRequest(storage: string): Promise<Map<string, Record<string, unknown>>> {
  const { openStore } = await import('../../src/store/open-store.ts');
  const opened = await openStore(storage);
  try {
    const rows = await databaseOf(opened.store).selectFrom('usage_records').selectAll().execute();
    return new Map(rows.map((row) => [String(row.request_id), row as Record<string, unknown>]));
  } finally {
    await opened.store.close();
  }
}
