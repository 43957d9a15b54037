import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scannerFor } from '../../../src/plugins/pii/index.ts';
import { MaskVault } from '../../../src/plugins/pii/mask-vault.ts';
import { piiConfigSchema, resolvePolicy } from '../../../src/plugins/pii/pii-config.ts';
import { PiiPass } from '../../../src/plugins/pii/pii-pass.ts';
import { HeldText } from '../../../src/plugins/pii/stream-hold-back.ts';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { sseBody, startStandIn, type StandIn } from '../../helpers/stand-in-server.ts';

// A blind audit (guardrails-6) found: a streamed answer sent the first literal of a split AWS key
// id made of letters only (`"AKIAJVCGFW" + "HSH2LCTSW4"`) before the second came, with
// `response: block` too (F1); "Das Passwort für den VPN-Zugang ist …" streamed in 1- and
// 3-character chunks redacted the noun the non-streamed answer leaves (F4). The same gap held for
// other key prefixes, joiners and a letters-only piece anywhere, and for an IBAN with a
// lower-case group of letters.

/** Answers with a value whose first words are no number-like words, and the label the whole answer gets. */
const splitAnswers: ReadonlyArray<readonly [text: string, label: string]> = [
  ['const id = "AKIAJVCGFW" + "HSH2LCTSW4";', 'AWS_ACCESS_KEY'],
  ["$k = 'ASIAJVCGFW' . 'HSHQLCTSWZ';", 'AWS_ACCESS_KEY'],
  ['local k = "AKIAJVCGFW" .. "HSH2LCTSW4"', 'AWS_ACCESS_KEY'],
  ["SELECT 'AROAJVCGFW' || 'HSH2LCTSW4' AS k", 'AWS_ACCESS_KEY'],
  ['k = "AKIAJVCGFW" & "HSH2LCTSW4"', 'AWS_ACCESS_KEY'],
  ['k = ("AKIAJVCGFW"\n     "HSH2LCTSW4")', 'AWS_ACCESS_KEY'],
  ['k = "AKIA" + "JVCGFWHSH2LCTSW4";', 'AWS_ACCESS_KEY'],
  ['k = "AKIAJVC" + "GFWHSH" + "2LCTSW4";', 'AWS_ACCESS_KEY'],
  ['k = `AGPAJVCGFW` + `HSH2LCTSW4`;', 'AWS_ACCESS_KEY'],
  ['IBAN: gb82 west 1234 5698 7654 32 ok', 'IBAN'],
];
/** Answers the stream must leave as the whole answer does: a noun before the copula, a key id one piece too long. */
const sameAnswers: readonly string[] = [
  'Das Passwort für den VPN-Zugang ist Hx7!qLm2#pz',
  'Das Passwort für den VPN-Zugang lautet Hx7!qLm2#pz, bitte nicht weitergeben.',
  'The password for the test-account is Kx7#mPq2Lw9z.',
  'Le mot de passe du serveur-web est Kx7#mPq2Lw9z.',
  'k = "AKIAJVCGFW" + "HSH2LCTSW4" + "XY";',
  'IBAN: GB82 West 1234 5698 7654 32 ok',
];

function responsePass(): PiiPass {
  const policy = resolvePolicy(piiConfigSchema.parse({ request: 'off', response: 'redact' }));
  return new PiiPass(scannerFor(policy, 'response'), (entity) => policy.actions.get(entity)?.response ?? 'off', new MaskVault());
}

function streamedInProcess(pieces: readonly string[]): string {
  const held = new HeldText(responsePass(), null, false);
  let out = '';
  for (const piece of pieces) out += held.push(piece);
  return out + held.flush();
}

describe('pii stream hold-back: values whose first words are no number-like words', () => {
  it('streams as the whole answer is redacted, cut anywhere and in 1- to 8-character chunks', () => {
    for (const text of [...splitAnswers.map(([text]) => text), ...sameAnswers]) {
      const expected = responsePass().apply(text);
      for (let cut = 1; cut < text.length; cut++) assert.equal(streamedInProcess([text.slice(0, cut), text.slice(cut)]), expected, `cut at ${cut}: ${text}`);
      for (const size of [1, 2, 3, 5, 8]) assert.equal(streamedInProcess(text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!), expected, `${size}: ${text}`);
    }
    for (const [text, label] of splitAnswers) assert.match(responsePass().apply(text), new RegExp(`\\[${label}\\]`), text);
  });

  it('holds a split key id from its prefix only while more literals may join it', () => {
    const held = new HeldText(responsePass(), null, false);
    assert.equal(held.push('const id = "AKIAJVCGFW" + '), 'const id = "');
    assert.equal(held.push('"HSH2LCTSW4"; print(id) and more'), '[AWS_ACCESS_KEY]"; print(id) and ');
    const prose = new HeldText(responsePass(), null, false);
    assert.equal(prose.push('"AKIA is the prefix" of a key id, said'), '"AKIA is the prefix" of a key id, ');
  });
});

describe('pii response scanning of streamed split values through the gateway', () => {
  let upstream: StandIn;
  let gw: RunningGateway;
  const sizes = [1, 2, 3, 5, 8];

  before(async () => {
    // Answers with the last user message, streamed in chunks of the size the model name gives ("c1", "c5").
    upstream = await startStandIn((request, response) => {
      const body = request.json as { model: string; stream?: boolean; messages: Array<{ content: string }> };
      const answer = body.messages.at(-1)!.content;
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: 'chatcmpl-s',
            object: 'chat.completion',
            created: 1700000000,
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
            usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
          }),
        );
        return;
      }
      const size = Number(body.model.slice(1));
      const chunk = (delta: object, finish: string | null = null) => ({ id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1700000000, model: body.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
      const pieces: object[] = [chunk({ role: 'assistant', content: '' })];
      for (let index = 0; index < answer.length; index += size) pieces.push(chunk({ content: answer.slice(index, index + size) }));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseBody([...pieces, chunk({}, 'stop'), '[DONE]']));
    });
    const route = (name: string, model: string, response: string) => [`  - match: { model: "${name}" }`, `    model: local/${model}`, `    plugins: { pii: { request: 'off', response: ${response} } }`];
    gw = await startGateway(
      [
        'providers:',
        `  local: { type: openai-compatible, base_url: "${upstream.url}/v1", models: [${sizes.map((size) => `c${size}`).join(', ')}] }`,
        'routes:',
        ...sizes.flatMap((size) => [...route(`redact-${size}`, `c${size}`, 'redact'), ...route(`block-${size}`, `c${size}`, 'block')]),
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await upstream.close();
  });

  const chat = async (model: string, content: string, stream: boolean): Promise<Response> =>
    fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }) });

  /** The text deltas of a chat stream up to its end or its in-stream error. */
  async function streamed(model: string, answer: string): Promise<{ text: string; error?: { code: string; message: string } }> {
    let text = '';
    for (const event of (await (await chat(model, answer, true)).text()).split('\n\n')) {
      const data = event.split('\n').find((line) => line.startsWith('data: '))?.slice(6);
      if (!data || data === '[DONE]') continue;
      const parsed = JSON.parse(data) as { error?: { code: string; message: string }; choices?: Array<{ delta?: { content?: string } }> };
      if (parsed.error) return { text, error: parsed.error };
      text += parsed.choices?.[0]?.delta?.content ?? '';
    }
    return { text };
  }

  async function nonStreamed(answer: string): Promise<string> {
    const reply = (await (await chat('redact-1', answer, false)).json()) as { choices: Array<{ message: { content: string } }> };
    return reply.choices[0].message.content;
  }

  it('response: redact — streamed in 1-, 2-, 3-, 5- and 8-character chunks as not streamed', async () => {
    for (const answer of [...splitAnswers.map(([text]) => text), ...sameAnswers]) {
      const expected = await nonStreamed(answer);
      for (const size of sizes) assert.equal((await streamed(`redact-${size}`, answer)).text, expected, `${size}: ${answer}`);
    }
    assert.equal(await nonStreamed(sameAnswers[0]), 'Das Passwort für den VPN-Zugang ist [SECRET]');
  });

  it('response: block — the error comes before any piece of the value', async () => {
    for (const [answer, label] of splitAnswers) {
      const valueStart = (await nonStreamed(answer)).indexOf(`[${label}]`);
      for (const size of sizes) {
        const result = await streamed(`block-${size}`, answer);
        assert.equal(result.error?.code, 'pii_detected', `${size}: ${answer}`);
        assert.ok(answer.startsWith(result.text) && result.text.length <= valueStart, `block-${size} sent ${JSON.stringify(result.text)} of ${JSON.stringify(answer)}`);
      }
    }
  });
});
