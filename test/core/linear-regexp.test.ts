import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileLinearRegExp, linearRegExpProblem } from '../../src/config/linear-regexp.ts';

/** RE2 (linear time) and V8 (ECMA-262, u flag) agree on a pattern for these texts. */
function agrees(pattern: string, texts: string[]): void {
  const linear = compileLinearRegExp(pattern);
  const native = new RegExp(pattern, 'u');
  for (const text of texts) assert.equal(linear.test(text), native.test(text), `${pattern} on ${JSON.stringify(text)}`);
}

describe('linear-time regular expressions (ECMA-262 syntax, RE2 matching)', () => {
  it('means what ECMA-262 means by . \\s \\S [^] [] \\b escapes and named groups', () => {
    agrees('^.$', ['a', '😀', '\n', '\r', '\u2028', '\u0085', '']);
    agrees('^\\s+$', [' ', '\t', '\v', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028', 'x']);
    agrees('^\\S+$', ['abc', 'a b', '\u00a0', 'x\u3000']);
    agrees('^[\\s\\S]*$', ['any\nthing', '']);
    agrees('^a[^]b$', ['a\nb', 'axb', 'ab']);
    agrees('a[]b', ['ab', 'a b']);
    agrees('^[\\b]$', ['\b', 'b']);
    agrees('^\\u00e9\\u{1F600}\\x41\\cJ$', ['é😀A\n', 'e😀A\n']);
    agrees('^\\uD83D\\uDE00$', ['😀', '\uD83D']);
    agrees('^(?<year>\\d{4})-(?<month>\\d{2})$', ['2025-01', '25-01']);
    agrees('^[[:a]+$', ['[:a', 'abc']);
    agrees('(?<=\\$)\\d+', ['$42', '42']);
    agrees('(?<!-)\\b\\d+', ['-4', '4']);
    agrees('^\\p{Script=Greek}+\\p{Lu}\\p{General_Category=Decimal_Number}$', ['αβΓ1', 'abC1']);
    agrees('^\\/path\\.\\*$', ['/path.*', '/pathx*']);
    agrees('^a$', ['a\n', 'a']);
  });

  it('matches a whole value with testWhole, anywhere with test', () => {
    const pattern = compileLinearRegExp('cc-[0-9]+|dept-[a-z]+');
    assert.equal(pattern.testWhole('cc-12'), true);
    assert.equal(pattern.testWhole('dept-hr'), true);
    assert.equal(pattern.testWhole('xcc-12'), false);
    assert.equal(pattern.test('xcc-12'), true);
  });

  it('takes linear time where V8 backtracks exponentially', () => {
    const started = performance.now();
    assert.equal(compileLinearRegExp('^(a+)+$').test(`${'a'.repeat(100_000)}!`), false);
    assert.equal(compileLinearRegExp('^(a|a?)+$').test(`${'a'.repeat(100_000)}!`), false);
    assert.ok(performance.now() - started < 2000);
  });

  it('refuses what RE2 cannot run in linear time, and invalid patterns, saying why', () => {
    assert.match(linearRegExpProblem('a(?=b)')!, /^uses lookahead/);
    assert.match(linearRegExpProblem('a(?!b)')!, /^uses lookahead/);
    assert.match(linearRegExpProblem('(a)\\1')!, /^uses a backreference/);
    assert.match(linearRegExpProblem('(?<x>a)\\k<x>')!, /^uses a backreference/);
    assert.match(linearRegExpProblem('(?<=(a))b')!, /^is not one RE2 can run/);
    assert.match(linearRegExpProblem('a{1001}')!, /^is not one RE2 can run: invalid repeat count/);
    assert.match(linearRegExpProblem('((a{100}){100}){10}')!, /RE2/);
    assert.match(linearRegExpProblem('a(')!, /^is not a valid regular expression/);
    assert.match(linearRegExpProblem('\\-')!, /^is not a valid regular expression/, 'u-flag syntax, as JSON Schema and ajv use');
    assert.equal(linearRegExpProblem('^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$'), null);
  });
});
