/**
 * PII micro-benchmark: µs per KB of prompt with every built-in detector on (request: mask), and
 * what the stream hold-back adds (CPU per chunk, and how much text is held back at any moment).
 * Also the prompt-guard heuristic's µs per KB for reference. Run: npm run bench:pii
 * Target (issue 7): <= 50 µs/KB for PII scanning; hold-back adds <= 5 ms to time-to-first-token.
 */
import { builtinEntities } from '../src/plugins/pii/detectors/builtin-entities.ts';
import { scannerFor } from '../src/plugins/pii/index.ts';
import { MaskVault } from '../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy, type Direction } from '../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../src/plugins/pii/pii-pass.ts';
import { HeldText } from '../src/plugins/pii/stream-hold-back.ts';
import { PromptScorer } from '../src/plugins/prompt-guard/score-prompt.ts';

// Every built-in detector on (the default; person_name on requests only).
const policy = resolvePolicy(piiConfigSchema.parse({ request: 'mask', response: 'redact' }));
const scanners = { request: scannerFor(policy, 'request'), response: scannerFor(policy, 'response') };

function pass(direction: Direction, vault: MaskVault): PiiPass {
  return new PiiPass(scanners[direction], (entity) => policy.actions.get(entity)?.[direction] ?? 'off', vault);
}

// A realistic mix: prose, a code block, a JSON record, numbers, and about one entity per 200 bytes.
// `{n}` makes every personal value unique, so the phone validator's cache never helps (the cold case).
const paragraphs = [
  'Our Q3 results improved across 12 regions; revenue grew 8.4% to $41.2M while costs held flat. The board meets on 2025-10-14 at 10:30 to review the forecast. ',
  'Customer Ana López (ana.lopez{n}@example.com, +1 415 {area} {line}) asked about invoice #88{n} and a refund to DE89 3704 0044 0532 0130 00. ',
  'function total(items) {\n  return items.filter((item) => !item.ignored).reduce((sum, item) => sum + item.price * item.qty, 0);\n}\n',
  '{"id": 55{n}, "status": "shipped", "weight_kg": 2.75, "dimensions": [30, 20, 15], "carrier": "DHL", "eta": "2025-11-02"} ',
  'The server at 10.0.4.{octet} restarted after the 1.24.3 upgrade; logs show 3 timeouts at 12:01:07 and none since. ',
  'Release notes: fixed a race in the retry loop, bumped undici to 7.3, and documented the new config keys for routes and fallbacks. ',
  'Please charge card 4111 1111 1111 1111 and confirm by phone; the SSN on file is 536-{group}-{serial} per the form. ',
  'Meeting notes: we agreed to ship the dashboard first, then the exporter, and to revisit pricing after the pilot with two customers. ',
];

function prompt(bytes: number, unique = true, seed = 0): string {
  let text = '';
  for (let index = 0; text.length < bytes; index++) {
    const n = unique ? index + seed * 997 : 0;
    text += paragraphs[index % paragraphs.length]
      .replaceAll('{n}', String(n))
      .replace('{area}', String(200 + (n % 700)))
      .replace('{line}', String(1000 + (n % 9000)))
      .replace('{octet}', String(n % 250))
      .replace('{group}', String(10 + (n % 89)))
      .replace('{serial}', String(1000 + (n % 8999)));
  }
  return text.slice(0, bytes);
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeIt(run: () => void, repeats: number): number {
  for (let warm = 0; warm < Math.min(repeats, 20); warm++) run();
  const samples: number[] = [];
  for (let index = 0; index < repeats; index++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

console.log(`PII scan, all ${builtinEntities.length} built-in detectors on, request: mask (scan + rewrite)`);
for (const size of [1024, 10 * 1024, 100 * 1024]) {
  // Every run gets a prompt with numbers not seen before, so the phone validator's cache never hits (cold).
  const repeats = size >= 100 * 1024 ? 30 : 200;
  const variants = Array.from({ length: repeats + 20 }, (_, seed) => prompt(size, true, seed + 1));
  let next = 0;
  const milliseconds = timeIt(() => pass('request', new MaskVault()).apply(variants[next++]), repeats);
  console.log(`  ${String(size / 1024).padStart(3)} KB: ${(milliseconds * 1000).toFixed(0).padStart(6)} µs total, ${((milliseconds * 1000) / (size / 1024)).toFixed(1).padStart(5)} µs/KB`);
}
const repeated = prompt(100 * 1024, false);
const repeatedMs = timeIt(() => pass('request', new MaskVault()).apply(repeated), 30);
console.log(`  100 KB, values repeated (a conversation's history; warm phone cache): ${((repeatedMs * 1000) / 100).toFixed(1)} µs/KB`);
const clean = 'The committee reviewed the plan and agreed on next steps for the launch. '.repeat(1400).slice(0, 100 * 1024);
const cleanMs = timeIt(() => pass('request', new MaskVault()).apply(clean), 30);
console.log(`  100 KB of plain prose (no PII): ${((cleanMs * 1000) / 100).toFixed(1)} µs/KB`);

// Stream: a 4 KB answer with placeholders and new PII, in ~4-character tokens (as LLMs stream).
console.log('\nStream hold-back (response: redact + restoring masked placeholders), 4 KB answer in 4-char chunks');
const vault = new MaskVault();
pass('request', vault).apply(prompt(2048));
const answer = prompt(4096).replace(/ana\.lopez@example\.com/g, '<EMAIL_1>');
const tokens = answer.match(/[\s\S]{1,4}/g) ?? [];
let heldMax = 0;
let heldTotal = 0;
let firstOutputAt = -1;
const perChunk = timeIt(() => {
  const held = new HeldText(pass('response', vault), vault, false);
  heldMax = 0;
  heldTotal = 0;
  firstOutputAt = -1;
  tokens.forEach((token, index) => {
    if (held.push(token).length > 0 && firstOutputAt === -1) firstOutputAt = index;
    heldMax = Math.max(heldMax, held.heldLength);
    heldTotal += held.heldLength;
  });
  held.flush();
}, 50) / tokens.length;
const plain = timeIt(() => {
  for (const token of tokens) void token.length;
}, 50) / tokens.length;
console.log(`  CPU per chunk: ${((perChunk - plain) * 1000).toFixed(1)} µs (${tokens.length} chunks)`);
console.log(`  held back: max ${heldMax} chars, mean ${(heldTotal / tokens.length).toFixed(1)} chars; first text leaves with chunk #${firstOutputAt + 1}`);
const firstChunkHeld = new HeldText(pass('response', vault), vault, false);
const started = performance.now();
firstChunkHeld.push('Sure');
firstChunkHeld.push('! Here');
const firstCpu = performance.now() - started;
console.log(`  time-to-first-token added: ${(firstCpu).toFixed(3)} ms CPU + the wait for the first word to end (one token at the model's pace)`);

// Mask-only streaming (no response detectors): holds back only a possible placeholder prefix.
const maskOnly = resolvePolicy(piiConfigSchema.parse({ request: 'mask', response: 'off' }));
const maskOnlyPass = new PiiPass(scannerFor(maskOnly, 'response'), () => 'off', vault);
const maskPerChunk = timeIt(() => {
  const held = new HeldText(maskOnlyPass, vault, false);
  for (const token of tokens) held.push(token);
  held.flush();
}, 50) / tokens.length;
console.log(`  mask restore only (response: off): ${(maskPerChunk * 1000).toFixed(2)} µs per chunk`);

console.log('\nprompt-guard heuristics (reference)');
const scorer = new PromptScorer();
for (const size of [1024, 10 * 1024]) {
  // A text not seen before each time: the scorer remembers long messages it has scored (conversation history).
  let round = 0;
  const milliseconds = timeIt(() => scorer.scoreMessage(prompt(size, true, ++round), 'user'), 100);
  const text = prompt(size, true, 0);
  scorer.scoreMessage(text, 'user');
  const rememberedMs = timeIt(() => scorer.scoreMessage(text, 'user'), 100);
  console.log(`  ${String(size / 1024).padStart(3)} KB: ${((milliseconds * 1000) / (size / 1024)).toFixed(1)} µs/KB (including making the text); the same text again (history): ${(rememberedMs * 1000).toFixed(1)} µs`);
}

// Tool call arguments stream as one long token (JSON without spaces): held until it ends, scanned once.
const argumentsJson = JSON.stringify({ rows: Array.from({ length: 120 }, (_, index) => ({ id: index, email: `user${index}@example.com` })) });
const argumentTokens = argumentsJson.match(/[\s\S]{1,4}/g) ?? [];
const argumentsMs = timeIt(() => {
  const held = new HeldText(pass('response', vault), vault, true);
  for (const token of argumentTokens) held.push(token);
  held.flush();
}, 20);
console.log(`  ${(argumentsJson.length / 1024).toFixed(1)} KB of tool call arguments in ${argumentTokens.length} chunks: ${(argumentsMs * 1000).toFixed(0)} µs in all`);

// End to end: time to first content byte through the real gateway (echo provider, 20 ms between chunks).
const { startGateway } = await import('../test/helpers/start-gateway.ts');
async function firstContentMs(config: string): Promise<number> {
  const gateway = await startGateway(config);
  const samples: number[] = [];
  try {
    for (let round = 0; round < 15; round++) {
      const started = performance.now();
      const response = await fetch(`${gateway.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'echo/x', stream: true, messages: [{ role: 'user', content: 'Please email ana.lopez@example.com about the 4111 1111 1111 1111 refund today, thanks a lot.' }] }),
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      let first = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (first === 0 && /"content":"[^"]+"/.test(text)) first = performance.now() - started;
      }
      if (round >= 3) samples.push(first);
    }
  } finally {
    await gateway.close();
  }
  return median(samples);
}
const providers = 'providers: { echo: { type: echo, options: { chunk_delay_ms: 20, max_chunks: 16 } } }\n';
const without = await firstContentMs(providers);
const withPii = await firstContentMs(`${providers}plugins: { pii: { request: mask, response: redact } }`);
console.log(`\nTime to first content through the gateway (echo, 20 ms/chunk): without pii ${without.toFixed(2)} ms, with pii (mask + redact) ${withPii.toFixed(2)} ms, added ${(withPii - without).toFixed(2)} ms`);
