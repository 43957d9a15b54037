import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';

async function startWith(providers: string): Promise<Gateway> {
  return Gateway.start({ configText: `providers:\n${providers}`, env: {}, port: 0, adminPort: 0, logger: pino({ level: 'silent' }), storage: 'sqlite::memory:' });
}

describe("a provider entry's options: a misspelt one is a config problem, as everywhere else in the config", () => {
  it('an option the type does not read is refused with its path and the options the type takes', async () => {
    const cases: Array<[string, RegExp]> = [
      ['  ol: { type: ollama, base_url: "http://127.0.0.1:9", options: { keep_alve: 10m } }', /providers\.ol\.options: unknown field "keep_alve" \(type ollama takes keep_alive, num_ctx\)/],
      ['  co: { type: cohere, options: { embeding_input_type: search_query } }', /providers\.co\.options: unknown field "embeding_input_type"/],
      ['  gq: { type: groq, options: { stream_usag: false } }', /providers\.gq\.options: unknown field "stream_usag" \(type groq takes stream_usage\)/],
      ['  oa: { type: openai, options: { bogus: 1 } }', /providers\.oa\.options: unknown field "bogus" \(type openai takes stream_usage\)/],
      ['  an: { type: anthropic, options: { beta: x } }', /providers\.an\.options: unknown field "beta" \(type anthropic takes no options\)/],
      ['  e2: { type: echo, options: { chunk_delay: 5 } }', /providers\.e2\.options: unknown field "chunk_delay" \(type echo takes chunk_delay_ms, max_chunks\)/],
    ];
    for (const [entry, problem] of cases) await assert.rejects(startWith(entry), (error: Error) => problem.test(error.message), entry);
  });

  it('the options each type documents are taken', async () => {
    const gateway = await startWith(
      [
        '  ol: { type: ollama, base_url: "http://127.0.0.1:9", options: { keep_alive: 10m, num_ctx: 8192 } }',
        '  co: { type: cohere, options: { embedding_input_type: search_query } }',
        '  gm: { type: gemini, options: { safety_settings: [], embedding_task_type: RETRIEVAL_QUERY } }',
        '  gq: { type: groq, options: { stream_usage: false } }',
        '  or: { type: openrouter, options: { http_referer: "https://app.example", app_title: App } }',
        '  cp: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1", options: { stream_usage: false } }',
        '  e2: { type: echo, options: { chunk_delay_ms: 1, max_chunks: 2 } }',
      ].join('\n'),
    );
    await gateway.stop(1000);
  });
});
