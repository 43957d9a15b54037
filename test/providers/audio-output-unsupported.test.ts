import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadRequestError } from 'openai';
import { chatPaths, lastBody, startMultiProviderGateway, type MultiProviderGateway } from './multi-provider-stand-in.ts';

/**
 * Audio output (`modalities: ["text", "audio"]` with `audio: {voice, format}`) is OpenAI's; no
 * translated adapter can produce it (none maps it to the provider, nor an audio answer back). The
 * README's rule for a parameter a translated provider cannot honour applies: dropped with a warning
 * naming it, refused with 400 `unsupported_parameter` under `strict_params` before any call. It
 * used to be a silent text-only 200, even under strict_params (the multimodal audit's finding 4).
 * `modalities: ["text"]` asks for nothing more than every provider writes and stays quiet; OpenAI
 * itself gets both as sent.
 */

const translated = [
  ['ant', 'claude-sonnet-4-5'],
  ['gem', 'gemini-2.5-flash'],
  ['vtx', 'gemini-2.5-flash'],
  ['br', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
  ['co', 'command-a-03-2025'],
  ['oll', 'llama3.2'],
] as const;

const audioRequest = (model: string) => ({ model, modalities: ['text', 'audio'] as Array<'text' | 'audio'>, audio: { voice: 'alloy' as const, format: 'wav' as const }, messages: [{ role: 'user' as const, content: 'Say hi.' }] });

/** The warnings the gateway logged about dropped parameters, by provider. */
function droppedWarnings(running: MultiProviderGateway, provider: string): string[][] {
  return running.logLines.filter((line) => line.provider === provider && Array.isArray(line.dropped)).map((line) => line.dropped as string[]);
}

describe('audio output to a translated provider: warned about, refused under strict_params', () => {
  let lenient: MultiProviderGateway;
  let strict: MultiProviderGateway;
  before(async () => {
    lenient = await startMultiProviderGateway();
    strict = await startMultiProviderGateway({ strict: true });
  });
  beforeEach(() => {
    lenient.upstream.requests.length = 0;
    strict.upstream.requests.length = 0;
  });
  after(async () => {
    await lenient.close();
    await strict.close();
  });

  for (const [provider, model] of translated) {
    it(`${provider}: served as text with a warning naming modalities and audio; neither goes up`, async () => {
      const answer = await lenient.openai.chat.completions.create(audioRequest(`${provider}/${model}`));
      assert.equal(typeof answer.choices[0].message.content, 'string');
      assert.deepEqual(droppedWarnings(lenient, provider).at(-1), ['modalities', 'audio']);
      const sent = JSON.stringify(lastBody(lenient.upstream, chatPaths[provider]));
      assert.doesNotMatch(sent, /alloy|modalities/);
    });

    it(`${provider}: under strict_params, 400 unsupported_parameter naming them, before any call`, async () => {
      await assert.rejects(strict.openai.chat.completions.create(audioRequest(`${provider}/${model}`)), (error: unknown) => {
        assert.ok(error instanceof BadRequestError, String(error));
        const body = error.error as { code?: string; param?: string };
        assert.equal(body.code, 'unsupported_parameter');
        assert.equal(body.param, 'modalities');
        assert.match(error.message, /'modalities', 'audio'/);
        return true;
      });
      assert.equal(strict.upstream.requests.length, 0);
    });
  }

  it('modalities ["text"] alone is no request for more: no warning, and served under strict_params', async () => {
    const before = droppedWarnings(lenient, 'ant').length;
    await lenient.openai.chat.completions.create({ model: 'ant/claude-sonnet-4-5', modalities: ['text'], messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(droppedWarnings(lenient, 'ant').length, before);
    const answer = await strict.openai.chat.completions.create({ model: 'gem/gemini-2.5-flash', modalities: ['text'], messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(answer.choices[0].message.content, 'ok');
  });

  it('audio alone (no modalities) is named too', async () => {
    await assert.rejects(strict.openai.chat.completions.create({ model: 'oll/llama3.2', audio: { voice: 'alloy', format: 'mp3' }, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof BadRequestError && (error.error as { param?: string }).param === 'audio');
  });

  it('openai (which produces audio) gets both as sent, strict_params or not', async () => {
    await strict.openai.chat.completions.create(audioRequest('oai/gpt-4o-audio-preview'));
    const sent = lastBody(strict.upstream, chatPaths.oai);
    assert.deepEqual(sent.modalities, ['text', 'audio']);
    assert.deepEqual(sent.audio, { voice: 'alloy', format: 'wav' });
  });
});
