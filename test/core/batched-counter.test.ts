import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayMetrics } from '../../src/telemetry/metrics.ts';

/** The lines of one metric in the registry's exposition text. */
async function lines(metrics: GatewayMetrics, name: string): Promise<string[]> {
  return (await metrics.exposition()).split('\n').filter((line) => line.startsWith(`${name}{`));
}

describe('counts batched on the request path (telemetry/batched-counter.ts)', () => {
  it('reach /metrics at the next scrape, summed per label combination, in the label order of the metric', async () => {
    const metrics = new GatewayMetrics();
    metrics.requestCounts.add(1, 'chat', 'openai', 'gpt-4o', 200);
    metrics.requestCounts.add(1, 'chat', 'openai', 'gpt-4o', 200);
    metrics.requestCounts.add(1, 'chat', 'openai', 'gpt-4o', 429);
    metrics.requestCounts.add(1, 'embeddings', 'openai', 'text-embedding-3-small', 200);
    assert.deepEqual((await lines(metrics, 'tollgate_requests_total')).sort(), [
      'tollgate_requests_total{operation="chat",provider="openai",model="gpt-4o",status="200"} 2',
      'tollgate_requests_total{operation="chat",provider="openai",model="gpt-4o",status="429"} 1',
      'tollgate_requests_total{operation="embeddings",provider="openai",model="text-embedding-3-small",status="200"} 1',
    ]);

    // Counts between two scrapes are added to what the Counter already holds, never counted twice.
    metrics.requestCounts.add(1, 'chat', 'openai', 'gpt-4o', 200);
    assert.ok((await lines(metrics, 'tollgate_requests_total')).includes('tollgate_requests_total{operation="chat",provider="openai",model="gpt-4o",status="200"} 3'));
    assert.ok((await lines(metrics, 'tollgate_requests_total')).includes('tollgate_requests_total{operation="chat",provider="openai",model="gpt-4o",status="200"} 3'));
  });

  it('shows a combination counted with 0 (as prom-client does) and ignores values that are not finite and non-negative', async () => {
    const metrics = new GatewayMetrics();
    metrics.tokenCounts.add(0, 'anthropic', 'claude-sonnet-4-5', 'prompt');
    metrics.tokenCounts.add(Number.NaN, 'anthropic', 'claude-sonnet-4-5', 'completion');
    metrics.tokenCounts.add(-3, 'anthropic', 'claude-sonnet-4-5', 'completion');
    metrics.tokenCounts.add(Infinity, 'anthropic', 'claude-sonnet-4-5', 'completion');
    metrics.tokenCounts.add(12, 'anthropic', 'claude-sonnet-4-5', 'completion');
    assert.deepEqual((await lines(metrics, 'tollgate_tokens_total')).sort(), [
      'tollgate_tokens_total{provider="anthropic",model="claude-sonnet-4-5",kind="completion"} 12',
      'tollgate_tokens_total{provider="anthropic",model="claude-sonnet-4-5",kind="prompt"} 0',
    ]);
  });

  it('keeps label values apart that a joined key could confuse', async () => {
    const metrics = new GatewayMetrics();
    metrics.tokenCounts.add(1, 'a,b', 'c', 'prompt');
    metrics.tokenCounts.add(2, 'a', 'b,c', 'prompt');
    assert.equal((await lines(metrics, 'tollgate_tokens_total')).length, 2);
  });
});
