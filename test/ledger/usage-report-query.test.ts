import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usageReportCsv } from '../../src/usage/usage-csv.ts';
import { toUsageQuery, usageReportQuerySchema, UsageQueryError } from '../../src/usage/usage-report-query.ts';

describe('usage report queries', () => {
  const now = new Date('2026-12-03T08:30:00.000Z');

  it('defaults to this month (UTC) up to the end of today', () => {
    assert.deepEqual(toUsageQuery({}, now), { from: '2026-12-01T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z', groupBy: [], interval: undefined, filters: {} });
  });

  it('reads a date `to` as the whole day and a time `to` as exclusive; de-duplicates group_by; keeps filters', () => {
    const query = toUsageQuery({ from: '2026-11-01', to: '2026-11-30', group_by: 'consumer, model,consumer', interval: 'day', team: 'red', status: '429' }, now);
    assert.equal(query.from, '2026-11-01T00:00:00.000Z');
    assert.equal(query.to, '2026-12-01T00:00:00.000Z');
    assert.deepEqual(query.groupBy, ['consumer', 'model']);
    assert.deepEqual(query.filters, { team: 'red', status: '429' });
    assert.equal(toUsageQuery({ from: '2026-11-01T10:00:00+02:00', to: '2026-11-01T12:00:00Z' }, now).from, '2026-11-01T08:00:00.000Z');
    assert.throws(() => toUsageQuery({ from: '2026-12-05', to: '2026-12-01' }, now), UsageQueryError);
  });

  it("takes to=9999-12-31 (a usual 'no end') as the last instant of year 9999, which sorts after every record's time (dash audit: the report was empty)", () => {
    const now = new Date('2026-12-07T12:00:00Z');
    for (const to of ['9999-12-31', '9999-12-31T23:59:59.999Z']) {
      const query = toUsageQuery({ from: '2026-01-01', to }, now);
      assert.equal(query.to, '9999-12-31T23:59:59.999Z', to);
      assert.ok('2026-12-07T10:00:00.000Z' < query.to);
    }
    assert.equal(toUsageQuery({ from: '2026-01-01', to: '9999-12-30' }, now).to, '9999-12-31T00:00:00.000Z');
  });

  it('refuses unknown dimensions, malformed dates and unknown parameters', () => {
    assert.equal(usageReportQuerySchema.safeParse({ group_by: 'consumer,colour' }).success, false);
    assert.equal(usageReportQuerySchema.safeParse({ from: '12/01/2026' }).success, false);
    assert.equal(usageReportQuerySchema.safeParse({ from: '2026-13-45' }).success, false);
    assert.equal(usageReportQuerySchema.safeParse({ sort: 'cost' }).success, false);
    assert.equal(usageReportQuerySchema.safeParse({ group_by: 'key,requested_model,variant', from: '2026-12-01T00:00:00Z', interval: 'month' }).success, true);
  });

  it('writes CSV with quoting, empty nulls and formula-safe text', () => {
    const query = toUsageQuery({ group_by: 'consumer' }, now);
    const totals = { requests: 2, errors: 0, input_tokens: 10, output_tokens: 5, cached_tokens: 0, reasoning_tokens: 0, cost_usd: 0.0000125, estimated_requests: 0, cache_hits: 0 };
    const csv = usageReportCsv(query, { totals, groups: [{ consumer: 'a, "b"', ...totals }, { consumer: '=HYPERLINK("x")', ...totals }, { consumer: null, ...totals }] });
    assert.equal(
      csv,
      'consumer,requests,errors,input_tokens,output_tokens,cached_tokens,reasoning_tokens,cost_usd,estimated_requests,cache_hits\r\n' +
        '"a, ""b""",2,0,10,5,0,0,0.0000125,0,0\r\n' +
        `"'=HYPERLINK(""x"")",2,0,10,5,0,0,0.0000125,0,0\r\n` +
        ',2,0,10,5,0,0,0.0000125,0,0\r\n',
    );
  });
});
