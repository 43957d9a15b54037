/**
 * Scores a blind audit's labelled prompt-guard set (rows of `{ id, label, category, text, messages?,
 * tools? }`, as `.audit/guardrails-5/data/pi_*.jsonl`) the way the plugin reads a request, split into
 * halves by the SHA-256 of each prompt's text (of its turns' or tools' JSON when it has none) (first hex digit below 8: tune), the convention of the
 * fourth and fifth audits. Only the tune half's misses may guide changes.
 * Usage: node test/prompt-guard/score-audit-halves.ts <data folder> [--show tune|held-out]
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import type { CanonicalRequest } from '../../src/canonical/operation.ts';
import { promptTexts } from '../../src/plugins/prompt-guard/prompt-texts.ts';
import { PromptScorer } from '../../src/plugins/prompt-guard/score-prompt.ts';
import { readLabelledSet } from '../helpers/labelled-set.ts';

interface AuditRow {
  id: string;
  label: 'attack' | 'benign';
  category: string;
  text: string | null;
  messages: unknown[] | null;
  tools: unknown[] | null;
}

/** The auditor's system prompt before each single text. */
const systemPrompt = { role: 'system', content: 'You are a helpful customer support assistant for Acme Corp. Answer questions about orders and products.' };

export function auditHalfOf(text: string): 'tune' | 'held-out' {
  return parseInt(createHash('sha256').update(text).digest('hex')[0]!, 16) < 8 ? 'tune' : 'held-out';
}

function main(): void {
  const folder = process.argv[2];
  if (folder === undefined) throw new Error('usage: score-audit-halves.ts <data folder> [--show tune|held-out]');
  const showIndex = process.argv.indexOf('--show');
  const show = showIndex === -1 ? null : process.argv[showIndex + 1];
  const scorer = new PromptScorer();
  const rows = readdirSync(folder).filter((file) => /^pi_.*\.jsonl$/.test(file)).flatMap((file) => readLabelledSet<AuditRow>(new URL(`file://${folder}/${file}`)));
  const tally = new Map<string, { total: number; blocked: number }>();
  for (const row of rows) {
    const messages = row.messages ?? [systemPrompt, { role: 'user', content: row.text ?? '' }];
    const body = { model: 'x', messages, ...(row.tools ? { tools: row.tools } : {}) } as unknown as CanonicalRequest;
    const texts = promptTexts('chat', body, { allRoles: false, lastUserOnly: false, withToolResults: true, withToolDefinitions: true });
    const result = scorer.score(texts);
    // Rows without a text (turns, tools) are split by their JSON.
    const key = row.text ?? JSON.stringify(row.messages ?? row.tools);
    const half = auditHalfOf(key);
    const blocked = result.score >= 0.5;
    for (const key of [`${half} ${row.label}`, `${half} ${row.label} ${row.category}`]) {
      const entry = tally.get(key) ?? { total: 0, blocked: 0 };
      entry.total++;
      if (blocked) entry.blocked++;
      tally.set(key, entry);
    }
    const wrong = blocked !== (row.label === 'attack');
    if (wrong && show === half) console.log(`${row.label === 'attack' ? 'missed' : 'blocked'} ${result.score} ${row.category} [${result.signals.map((signal) => `${signal.name}:${signal.strength}`).join(' ')}] ${JSON.stringify(key.slice(0, 160))}`);
  }
  for (const [key, { total, blocked }] of [...tally].sort()) console.log(`${key.padEnd(44)} blocked ${String(blocked).padStart(3)} of ${String(total).padStart(3)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
