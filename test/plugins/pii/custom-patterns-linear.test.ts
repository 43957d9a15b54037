import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileCustomPattern } from '../../../src/plugins/pii/custom-pattern.ts';
import { customDetector } from '../../../src/plugins/pii/detectors/custom.ts';
import type { Detection } from '../../../src/plugins/pii/detectors/detector.ts';
import { piiConfigSchema } from '../../../src/plugins/pii/pii-config.ts';
import { runCli } from '../../helpers/run-cli.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';
import { chatCompletion } from '../../helpers/openai-bodies.ts';

// A blind audit (guardrails-surfaces F6) found custom pii patterns run by V8's backtracking
// engine: the operator's `(\w+\s?)+X` held the event loop 10-19 s on a 31-character client
// message, every other request waiting. They now run in RE2 (re2js), as content-rules' and
// output-validation's patterns do, and a pattern RE2 cannot run is a config problem.

/** Spans [start, end) of a JavaScript regex's matches from `from` on (what the detector found before). */
function jsSpans(pattern: string, flags: string, text: string, from: number): Array<[number, number]> {
  const regex = new RegExp(pattern, `${flags}g`);
  regex.lastIndex = from;
  const spans: Array<[number, number]> = [];
  for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
    if (match[0].length === 0) {
      regex.lastIndex = match.index + 1;
      continue;
    }
    // As the detector did: a match that starts before `from` (a u regex backs up to a pair's start) is not reported.
    if (match.index >= from) spans.push([match.index, match.index + match[0].length]);
  }
  return spans;
}

function detectorSpans(pattern: string, flags: string, text: string, from: number): Array<[number, number]> {
  const found: Detection[] = [];
  customDetector({ name: 'X', pattern, flags }).find(text, found, from);
  return found.map((detection) => [detection.start, detection.end]);
}

const texts = [
  'Ticket E-123456, also e-654321 and E-12345 (too short)',
  '😀𝐀 emoji and astral letters before E-123456 and 𝟏 after E-000001😀',
  'line one ACCT 1234 5678\r\nACCT  9999 0000\nacct 1111 2222 end',
  'K-1234 K-12 at the start, and xK-5678 glued; ref: AB-12/x',
  'name: Zoë Ünal; id=ÄÖ-77; 電話 ID-42; \u2028ID-43',
  'multi\nline\nE-111111\nend',
];

const cases: Array<[string, string]> = [
  ['E-\\d{6}', ''],
  ['E-\\d{6}', 'i'],
  ['E-(\\d{6})', ''],
  ['(?<id>E)-\\d{6}', 'u'],
  ['ACCT\\s+\\d{4}\\s+\\d{4}', 'i'],
  ['^ACCT \\d{4}', 'm'],
  ['\\d{4}$', 'm'],
  ['^\\w+', ''],
  ['line.+ACCT', 's'],
  ['line.+ACCT', ''],
  ['\\bK-\\d+', ''],
  ['(?<=ref: )[A-Z]+-\\d+', ''],
  ['(?<!x)K-\\d{4}', ''],
  ['[A-Z]{2}\\-\\d+', ''],
  ['\\p{Lu}\\p{Ll}+', 'u'],
  ['[^\\s;]+-\\d+', ''],
  ['\\u00d6-\\d+|\\u{1D400}', 'u'],
  ['.', 'u'],
  ['\\S+\\s\\S+', ''],
];

describe('pii custom patterns run in RE2 (unit)', () => {
  it('finds the spans JavaScript found, by UTF-16 offsets, from any starting offset', () => {
    for (const [pattern, flags] of cases) {
      for (const text of texts) {
        for (const from of [0, 3, 11, 40]) {
          if (from > text.length) continue;
          // Without the u flag JavaScript could start a match on a pair's low half; RE2 reads code points (a stream's `from` is never there in practice).
          if (!flags.includes('u') && /[\uDC00-\uDFFF]/.test(text[from] ?? '')) continue;
          assert.deepEqual(detectorSpans(pattern, flags, text, from), jsSpans(pattern, flags, text, from), `/${pattern}/${flags} in ${JSON.stringify(text)} from ${from}`);
        }
      }
    }
  });

  it('a capture group is no value group: the whole match is the value', () => {
    const text = 'ref 😀 T-(42) and T-7';
    assert.deepEqual(detectorSpans('T-\\(?(\\d+)\\)?', '', text, 0), [[7, 13], [18, 21]]);
    const matcher = compileCustomPattern('T-\\(?(\\d+)\\)?');
    const groups: Array<[number, number]> = [];
    matcher.forEach(text, 0, (match) => groups.push([match.groupStart, match.groupEnd]));
    assert.deepEqual(groups, [[10, 12], [20, 21]], 'group offsets are UTF-16 too');
  });

  it('without the u flag, identity escapes, \\p and lone braces are literal, as JavaScript reads them', () => {
    for (const [pattern, text] of [['A\\-\\q', 'xA-q'], ['\\p{L}', 'p{L}'], ['a{x}', 'a{x}'], ['x]', 'x]'], ['\\u{2}', 'uu']]) {
      assert.deepEqual(detectorSpans(pattern, '', text, 0), jsSpans(pattern, '', text, 0), pattern);
      assert.equal(detectorSpans(pattern, '', text, 0).length, 1, pattern);
    }
  });

  it('a pattern that backtracks for ever in V8 takes linear time', () => {
    const started = performance.now();
    const found: Detection[] = [];
    customDetector({ name: 'T', pattern: '(\\w+\\s?)+X' }).find(`${'a'.repeat(100_000)}!`, found);
    assert.deepEqual(found, []);
    assert.ok(performance.now() - started < 2000, `took ${(performance.now() - started).toFixed(0)} ms`);
  });
});

describe('pii custom patterns: what RE2 cannot run is refused at load, naming its path', () => {
  const problems = (config: unknown): string[] => {
    const result = piiConfigSchema.safeParse(config);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('lookahead, backreferences, a lookbehind with a group, counts over 1000 (schema)', () => {
    assert.match(problems({ custom: [{ name: 'X', pattern: 'K-(?=\\d{4})\\d+' }] }).join('\n'), /^custom\.0\.pattern: uses lookahead.*RE2/);
    assert.match(problems({ custom: [{ name: 'X', pattern: 'x' }, { name: 'Y', pattern: '(a)\\1' }] }).join('\n'), /^custom\.1\.pattern: uses a backreference/);
    assert.match(problems({ custom: [{ name: 'X', pattern: '(?<=(a))b' }] }).join('\n'), /^custom\.0\.pattern: is not one RE2 can run/);
    assert.match(problems({ custom: [{ name: 'X', pattern: 'a{1001}' }] }).join('\n'), /^custom\.0\.pattern: is not one RE2 can run/);
    // Nested quantifiers are fine: RE2 runs them in linear time.
    assert.deepEqual(problems({ custom: [{ name: 'X', pattern: '(\\w+\\s?)+X' }, { name: 'Y', pattern: '(?<=ref: )[A-Z]+', flags: 'ims' }] }), []);
  });

  it('at start and at reload (the running config stays)', async () => {
    const problemsOf = (error: unknown) => String((error as { problems?: string[] }).problems ?? error);
    await assert.rejects(startGateway("plugins: { pii: { custom: [{ name: LOOK, pattern: 'K-(?=\\d{4})\\d+' }] } }"), (error) => /plugins\.pii\.custom\[0\]\.pattern: uses lookahead.*RE2/s.test(problemsOf(error)));
    await assert.rejects(
      startGateway(['providers: { p: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" } }', 'routes:', '  - match: { model: "x" }', '    model: p/m', "    plugins: { pii: { custom: [{ name: OK, pattern: 'x+' }, { name: BACK, pattern: '(a)\\1' }] } }"].join('\n')),
      (error) => /routes\[0\]\.plugins\.pii\.custom\[1\]\.pattern: uses a backreference/.test(problemsOf(error)),
    );
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-pii-re2-'));
    try {
      const path = join(folder, 'gateway.yaml');
      await writeFile(path, "plugins: { pii: { custom: [{ name: T, pattern: 'T-\\d+' }] } }\n");
      const gateway = await startGateway('', {}, { configPath: path });
      try {
        await writeFile(path, "plugins: { pii: { custom: [{ name: T, pattern: '(T)-\\1' }] } }\n");
        assert.equal(await gateway.gateway.reload(), false);
      } finally {
        await gateway.close();
      }
      const result = await runCli(['config', 'validate', path]);
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /plugins\.pii\.custom\[0\]\.pattern: uses a backreference/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('pii custom patterns through the gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;

  before(async () => {
    upstream = await startStandIn((request, response) => {
      const body = request.json as { messages: Array<{ content: string }> };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(chatCompletion('m', body.messages.at(-1)!.content, { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 })));
    });
    gw = await startGateway(
      [
        'providers:',
        `  upstream: { type: openai-compatible, base_url: "${upstream.url}/v1" }`,
        'routes:',
        '  - match: { model: "redos" }',
        '    model: upstream/m',
        "    plugins: { pii: { request: redact, entities: { person_name: false }, custom: [{ name: TICKET_REF, pattern: '(\\w+\\s?)+X' }] } }",
        '  - match: { model: "mask" }',
        '    model: upstream/m',
        "    plugins: { pii: { request: mask, response: off, custom: [{ name: CASE_ID, pattern: 'case[ -]?(\\d{4,})', flags: i }] } }",
        '  - match: { model: "plain" }',
        '    model: upstream/m',
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  async function send(model: string, content: string): Promise<{ status: number; ms: number; answer?: string }> {
    const started = performance.now();
    const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content }] }) });
    const body = (await response.json()) as { choices?: Array<{ message: { content: string } }> };
    return { status: response.status, ms: performance.now() - started, answer: body.choices?.[0].message.content };
  }

  const forwarded = () => (upstream.requests.at(-1)!.json as { messages: Array<{ content: string }> }).messages[0].content;

  // With V8, 28 characters took seconds (doubling per character): the other request waited as long.
  it('a client text that makes a nested-quantifier pattern backtrack is answered at once, and so is a concurrent request', async () => {
    const slow = send('redos', `${'a'.repeat(28)}!`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const other = await send('plain', 'hello');
    const result = await slow;
    assert.equal(result.status, 200);
    assert.equal(other.status, 200);
    assert.ok(result.ms < 1000, `took ${result.ms.toFixed(0)} ms`);
    assert.ok(other.ms < 1000, `the concurrent request took ${other.ms.toFixed(0)} ms`);
    assert.equal((await send('redos', 'ticket abc X done')).status, 200);
    assert.equal(forwarded(), '[TICKET_REF] done');
  });

  it('mask: the whole match is replaced (not group 1) at the right UTF-16 offsets, and restored', async () => {
    const text = '😀𝐀 Zoë: see Case-12345 and CASE 6789 😀';
    const result = await send('mask', text);
    assert.equal(result.status, 200);
    assert.equal(forwarded(), '😀𝐀 Zoë: see <CASE_ID_1> and <CASE_ID_2> 😀');
    assert.equal(result.answer, text);
  });
});
