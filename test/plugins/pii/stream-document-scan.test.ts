import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { StreamScope } from '../../../src/plugins/pii/detectors/whole-text.ts';
import { scannerFor } from '../../../src/plugins/pii/index.ts';
import { MaskVault } from '../../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy } from '../../../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../../../src/plugins/pii/pii-pass.ts';
import { HeldText } from '../../../src/plugins/pii/stream-hold-back.ts';
import { assertScalesLinearly } from '../../helpers/assert-linear.ts';
import { readLabelledSet } from '../../helpers/labelled-set.ts';

// A stream scans all it has sent again with each chunk, searching only from a little before the
// new text (`from`): what it finds there must be what a scan of the whole text finds, the
// whole-text tests must read only what is new, and the cost must follow the new text, not the whole.

const texts = ['labelled', 'blind-3'].flatMap((set) => readLabelledSet<{ text: string }>(new URL(`../../fixtures/pii/${set}.jsonl`, import.meta.url)).map((example) => example.text));
const everything = { request: 'redact', entities: { person_name: { action: 'redact' } } };
const scanner = scannerFor(resolvePolicy(piiConfigSchema.parse(everything)), 'request');

const spans = (text: string, from = 0) => scanner.scan(text, from).map((detection) => ({ label: detection.label, start: detection.start, end: detection.end }));

describe('pii: a stream scans what it has sent, searching from where it left off', () => {
  it('a scan from `from` finds every match of the whole scan that starts there or later, and nothing that scan ruled out', () => {
    fc.assert(
      fc.property(fc.constantFrom(...texts.filter((text) => text.length > 40)), fc.double({ min: 0, max: 1, noNaN: true }), (text, share) => {
        const from = Math.floor(share * text.length);
        const whole = spans(text);
        const partial = spans(text, from);
        const key = (span: { label: string; start: number; end: number }) => `${span.label}@${span.start}-${span.end}`;
        const partialKeys = new Set(partial.map(key));
        for (const span of whole) if (span.start >= from) assert.ok(partialKeys.has(key(span)), `${key(span)} missing from ${from} in ${JSON.stringify(text)}`);
        // Anything else it reports is a match the whole scan let an earlier, overlapping one win over.
        const wholeKeys = new Set(whole.map(key));
        for (const span of partial) {
          if (span.start >= from && !wholeKeys.has(key(span))) assert.ok(whole.some((other) => other.start < from && other.end > span.start), `${key(span)} from ${from} in ${JSON.stringify(text)}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a scan from inside the cue words of a match still finds it: the cue before `from` is read', () => {
    const cases: Array<[string, number, string]> = [
      ['My passport number is 548213907 and it expires soon.', 6, 'PASSPORT'],
      ['cc: Maria Gonzalez, Tom Fischer\nRe: vendor contract', 3, 'PERSON'],
      ['{"vorname": "Miriam", "nachname": "Keller", "ort": "Bern"}', 4, 'PERSON'],
      ['Social Security number 215664289 was entered twice.', 3, 'SSN'],
    ];
    for (const [text, from, label] of cases) {
      const whole = spans(text).filter((span) => span.label === label && span.start >= from);
      assert.ok(whole.length > 0, `the whole scan finds ${label} in ${text}`);
      assert.deepEqual(
        spans(text, from).filter((span) => span.label === label && span.start >= from),
        whole,
        text,
      );
    }
  });

  it('whole-text tests read only the new text, and a match the last, unfinished word makes counts only at the end', () => {
    const scope = new StreamScope();
    const firstPerson = /\b(?:I|me|my)\b/i;
    assert.equal(scope.has('Who was Marie Curie and what did she', firstPerson), false);
    // "m" may still become "my" or "more": not before the word is whole.
    assert.equal(scope.has('Who was Marie Curie and what did she discover? m', firstPerson), false);
    assert.equal(scope.has('Who was Marie Curie and what did she discover? my', firstPerson), false);
    assert.equal(scope.has('Who was Marie Curie and what did she discover? my aunt', firstPerson), true);
    // Once found, found for good: the text only grows.
    assert.equal(scope.has('Who was Marie Curie and what did she discover? my aunt asked.', firstPerson), true);
    // When the stream has ended, the last word is whole.
    const ended = new StreamScope();
    ended.final = true;
    assert.equal(ended.has('ask me', firstPerson), true);
  });

  it('a streamed answer costs what its chunks cost: a CSV and prose 10 times longer take about 10 times as long', () => {
    const policy = resolvePolicy(piiConfigSchema.parse({ request: 'off', response: 'redact' }));
    const responseScanner = scannerFor(policy, 'response');
    const stream = (text: string): void => {
      const held = new HeldText(new PiiPass(responseScanner, (entity) => policy.actions.get(entity)?.response ?? 'off', new MaskVault()), null, false);
      for (let index = 0; index < text.length; index += 32) held.push(text.slice(index, index + 32));
      held.flush();
    };
    const csv = (size: number): string => {
      let text = 'id,name,email,mobile,notes\n';
      for (let row = 0; text.length < size; row++) text += `${row},Ana Ruiz,ana${row}@example.com,4155550${String(100 + (row % 900))},called back\n`;
      return text.slice(0, size);
    };
    const prose = (size: number): string => texts.join('\n\n').repeat(8).slice(0, size);
    assertScalesLinearly(stream, csv, 'csv');
    assertScalesLinearly(stream, prose, 'prose');
  });

  it('past 32 KB the oldest lines are let go, and the stream goes on line for line', () => {
    const policy = resolvePolicy(piiConfigSchema.parse({ request: 'off', response: 'redact' }));
    const pass = new PiiPass(scannerFor(policy, 'response'), (entity) => policy.actions.get(entity)?.response ?? 'off', new MaskVault());
    const held = new HeldText(pass, null, false);
    let out = '';
    let text = 'id,mobile\n';
    for (let row = 0; text.length < 40_000; row++) text += `${row},4155550${String(100 + (row % 900))}\n`;
    for (let index = 0; index < text.length; index += 16) out += held.push(text.slice(index, index + 16));
    out += held.flush();
    const lines = out.split('\n');
    assert.equal(lines.length, text.split('\n').length);
    assert.equal(lines[1], '0,[PHONE]');
    for (const [index, line] of lines.slice(1, -1).entries()) assert.match(line, new RegExp(`^${index},(?:\\[PHONE\\]|4155550\\d{3})$`));
  });
});
