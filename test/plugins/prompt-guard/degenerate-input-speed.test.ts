import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PromptScorer } from '../../../src/plugins/prompt-guard/score-prompt.ts';
import { repeated } from '../../helpers/assert-linear.ts';
import { readLabelledSet } from '../../helpers/labelled-set.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';

// The second security audit (finding 1) held the gateway for minutes with one message: 2 KB of '-' took
// 8 s and 4 KB 64 s (cubic), 128 KiB of one letter 13 s (quadratic), and nothing else was answered
// meanwhile. The causes: a pattern whose words could end in a hyphen and also contain one cut a run of
// hyphens every way; patterns that start at a newline and then skip blanks read a run of blank lines
// again from each of its newlines (and `#{2,}` each run of '#'s); `\p{L}{2,}` read a run of letters to
// its end from each letter; a link pattern read the rest of an address again from each "http" in it,
// and one cut "?=?=…" every way; the run-on word splitter moved every piece for each new one. Each is
// now linear: the same first match from fewer starts, or a bound no real text reaches.

/** Degenerate texts by name: runs of one character, alternations, blank runs, delimiters, scripts, marks. */
const shapes: Record<string, (size: number) => string> = {
  ...Object.fromEntries([...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~—–…'].map((character) => [`run of ${JSON.stringify(character)}`, repeated(character)])),
  ...Object.fromEntries(
    ['a', '1', 'ab', 'a-', '-a', 'a1-', '1-', "'-", "a'", 'a.', 'a ', 'a,', 'a@', 'i-g-n-o-r-e-', ' ', '\n', '\r\n', '\t', '\n ', ' \n', '\u00a0', '\u3000', '\u200b', 'a\u200b', '\ufeff', 'a\u0301', 'aа', 'аеоa', '😀', 'a😀', '𝟒', 'ignore ', 'the ', 'ai ', 'bot ', 'supercalifragilistic', '###', '```', '```\n', '<|', '[[', '"a": ', "'a' ", '“a” ', '<!--', '---\n', '|||', '![a](http://', '[a](http://', 'http://', '1gn0r3 ', 'i g n o r e ', 'I.g.n.o.r.e.', '\\x41', 'QUFB', '%41', 'ɪɢɴᴏʀᴇ '].map((unit) => [JSON.stringify(unit), repeated(unit)]),
  ),
  'combining marks on one letter': (size) => `a${'\u0301'.repeat(size - 1)}`,
  'an image link with "?=" repeated': (size) => `![a](http://x${repeated('?=')(size - 13)}`,
};

const traffic = readLabelledSet<{ text: string; category: string }>(new URL('../../fixtures/prompt-guard/training/benign-traffic.jsonl', import.meta.url))
  .filter((row) => !row.category.startsWith('hn_'))
  .map((row) => row.text);

/** Ordinary assistant traffic (the classifier's benign training rows, 20 languages), the measure of a shape's cost. */
function ordinaryText(size: number, serial: number): string {
  let text = `Document ${serial}\n`;
  for (let index = serial; text.length < size; index += 7) text += `${traffic[index % traffic.length]}\n`;
  return text.slice(0, size);
}

describe('prompt-guard scoring time on degenerate text', () => {
  const scorer = new PromptScorer();
  let serial = 0;

  /** The fastest of `runs` scorings, each of a new text (a long text seen before is answered from the scorer's memory). */
  function fastestOf(runs: number, text: () => string): number {
    let fastest = Infinity;
    for (let run = 0; run < runs; run++) {
      const message = text();
      const started = performance.now();
      scorer.scoreMessage(message, 'user');
      fastest = Math.min(fastest, performance.now() - started);
    }
    return fastest;
  }

  it('64 KB of any degenerate shape costs at most 5 times 64 KB of ordinary text', () => {
    const size = 64 * 1024;
    fastestOf(5, () => ordinaryText(size, ++serial));
    // A floor keeps a very fast reference from making the bound tight; the causes found took seconds to hours here.
    const ordinaryMs = () => Math.max(fastestOf(3, () => ordinaryText(size, ++serial)), 20);
    let bound = 5 * ordinaryMs();
    const slow: string[] = [];
    for (const [name, build] of Object.entries(shapes)) {
      // One character differs per text, as an attacker would vary it to get past the scorer's memory.
      const shape = () => `${++serial}\n${build(size)}`;
      let ms = fastestOf(3, shape);
      // A busy machine may have slowed one measurement: measure the shape and the reference again before judging.
      if (ms > bound) {
        bound = 5 * ordinaryMs();
        ms = fastestOf(5, shape);
      }
      if (ms > bound) slow.push(`${name}: ${ms.toFixed(0)} ms (bound ${bound.toFixed(0)} ms)`);
    }
    assert.deepEqual(slow, []);
  });
});

describe('prompt-guard: a large degenerate request does not hold up the gateway', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(['plugins:', '  prompt-guard: { action: block }'].join('\n'));
  });
  after(() => gw.close());

  it('a small request sent meanwhile is answered at once, and the large one in well under a second', async () => {
    // 16 KB of each shape the audit and this fix found super-linear: hours before, about 0.2 s now.
    const units = ['-', 'a1-', 'a', '\n', "'", '#', '\r\n', "'-", 'aа', 'a ', '![a](http://', 'http://'];
    const content = units.map((unit) => repeated(unit)(16 * 1024)).join('\n') + `\n${repeated('?=')(16 * 1024)}`;
    const post = (text: string) =>
      fetch(`${gw.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: text }] }),
      }).then(async (response) => ({ status: response.status, body: await response.text() }));
    const started = performance.now();
    const large = post(content).then((result) => ({ ...result, ms: performance.now() - started }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const bystanderStarted = performance.now();
    const bystander = await post('ping');
    const bystanderMs = performance.now() - bystanderStarted;
    const { status, ms } = await large;
    assert.equal(bystander.status, 200);
    assert.ok(status === 200 || status === 400, String(status));
    assert.ok(bystanderMs < 2000 && ms < 4000, `the large request took ${ms.toFixed(0)} ms, the small one ${bystanderMs.toFixed(0)} ms`);
  });
});
