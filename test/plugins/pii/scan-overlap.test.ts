import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOverlaps } from '../../../src/plugins/pii/scan-text.ts';
import { found, scanner } from './pii-helpers.ts';

describe('pii scanning: overlaps, Unicode, large prompts', () => {
  it('the more specific entity wins an overlap, then the longer one', () => {
    const resolved = resolveOverlaps([
      { entity: 'phone', label: 'PHONE', start: 0, end: 10, specificity: 30 },
      { entity: 'credit_card', label: 'CREDIT_CARD', start: 0, end: 19, specificity: 60 },
      { entity: 'generic_secret', label: 'SECRET', start: 25, end: 60, specificity: 70 },
      { entity: 'jwt', label: 'JWT', start: 25, end: 60, specificity: 90 },
      { entity: 'email', label: 'EMAIL', start: 70, end: 80, specificity: 55 },
      { entity: 'email', label: 'EMAIL', start: 70, end: 85, specificity: 55 },
    ]);
    assert.deepEqual(
      resolved.map((detection) => `${detection.label}@${detection.start}-${detection.end}`),
      ['CREDIT_CARD@0-19', 'JWT@25-60', 'EMAIL@70-85'],
    );
  });

  it('a challenger that loses to any overlapped detection leaves all of them in place', () => {
    const resolved = resolveOverlaps([
      { entity: 'a', label: 'A', start: 0, end: 10, specificity: 90 },
      { entity: 'b', label: 'B', start: 12, end: 20, specificity: 10 },
      { entity: 'c', label: 'C', start: 5, end: 15, specificity: 50 },
    ]);
    assert.deepEqual(resolved.map((detection) => detection.label), ['A', 'B']);
  });

  it('real overlaps: a token after a key word is the token; a card is not a phone', () => {
    assert.deepEqual(found('api_key=sk-proj-4fJ8kL2mN9pQ7rS3tU6vW1xY5zA0bC'), ['API_KEY:sk-proj-4fJ8kL2mN9pQ7rS3tU6vW1xY5zA0bC']);
    assert.deepEqual(found('card: 4111-1111-1111-1111'), ['CREDIT_CARD:4111-1111-1111-1111']);
    assert.deepEqual(found('ssn 536-22-1234, phone +1 415 555 2671'), ['SSN:536-22-1234', 'PHONE:+1 415 555 2671']);
  });

  it('finds entities inside Unicode text with the right offsets (CJK, emoji, RTL, combining marks)', () => {
    const text = '联系我：王小明 wang@example.cn 📞 +86 138 0013 8000 🙂 — مرحبا user@example.org — e\u0301mail café@example.fr';
    assert.deepEqual(found(text), ['EMAIL:wang@example.cn', 'PHONE:+86 138 0013 8000', 'EMAIL:user@example.org', 'EMAIL:café@example.fr']);
  });

  it('scans a 100 KB prompt quickly and finds what is in it', () => {
    const filler = 'The quarterly report covers revenue, costs and a forecast for 2025 across 12 regions. ';
    let text = '';
    const planted: string[] = [];
    for (let index = 0; text.length < 100_000; index++) {
      text += filler;
      if (index % 100 === 0) {
        const email = `person${index}@example.com`;
        planted.push(`EMAIL:${email}`);
        text += `Contact ${email} for details. `;
      }
    }
    const started = performance.now();
    const result = found(text);
    const elapsed = performance.now() - started;
    assert.deepEqual(result, planted);
    assert.ok(elapsed < 500, `100 KB took ${elapsed.toFixed(1)} ms`);
  });

  it('long runs without a match do not go quadratic (no catastrophic backtracking)', () => {
    const runs = ['a'.repeat(50_000), '1'.repeat(50_000), 'a.'.repeat(25_000), '1 '.repeat(25_000), 'eyJ'.repeat(10_000), 'ab:'.repeat(20_000), '-----BEGIN RSA PRIVATE KEY-----' + 'x'.repeat(50_000)];
    const all = scanner();
    for (const run of runs) {
      const started = performance.now();
      all.scan(run);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 250, `${JSON.stringify(run.slice(0, 12))}... took ${elapsed.toFixed(1)} ms`);
    }
  });
});
