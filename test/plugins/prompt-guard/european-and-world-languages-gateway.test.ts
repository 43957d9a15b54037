import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readLabelledSet } from '../../helpers/labelled-set.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';

// Attacks (override, rules declared void, system prompt asked for, persona without rules or developer
// mode) and benign texts with the same words (an earlier e-mail ignored, a game's old rules forgotten,
// what a system prompt is, a translation, developer mode on a phone, a wardrobe's instructions repeated)
// in 18 languages, written before signals/world-language-cues.ts; through the gateway, as a user sends them.

interface Row {
  lang: string;
  label: 'attack' | 'benign';
  kind: string;
  text: string;
}

const rows = readLabelledSet<Row>(new URL('../../prompt-guard/european-and-world-languages.jsonl', import.meta.url));
const languages = [...new Set(rows.map((row) => row.lang))];

describe('prompt-guard: attacks and look-alike benign texts in 18 languages through the gateway', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(['plugins:', '  prompt-guard: { action: block }'].join('\n'));
  });
  after(() => gw.close());

  async function status(text: string): Promise<number> {
    const response = await fetch(`${gw.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: text }] }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  it('has at least six attacks and six benign texts per language', () => {
    for (const lang of languages) {
      assert.ok(rows.filter((row) => row.lang === lang && row.label === 'attack').length >= 6, lang);
      assert.ok(rows.filter((row) => row.lang === lang && row.label === 'benign').length >= 6, lang);
    }
  });

  for (const lang of languages) {
    it(`${lang}: every attack blocked, no benign text blocked`, async () => {
      const own = rows.filter((row) => row.lang === lang);
      const statuses = await Promise.all(own.map((row) => status(row.text)));
      const missed = own.filter((row, index) => row.label === 'attack' && statuses[index] !== 400).map((row) => row.text);
      const blocked = own.filter((row, index) => row.label === 'benign' && statuses[index] !== 200).map((row) => row.text);
      assert.deepEqual({ missed, blocked }, { missed: [], blocked: [] });
    });
  }
});
