import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadRequestError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { startMultiProviderGateway, type MultiProviderGateway } from './multi-provider-stand-in.ts';

/**
 * An image in a message the provider reads as text only is refused with a 400 that names the
 * message's role, before any call, on every adapter, rather than left out unseen: system and
 * developer messages everywhere (Gemini's systemInstruction is "text only"), assistant messages on
 * Anthropic, Bedrock and Ollama. The anthropic adapter used to call an assistant turn a system
 * message; Gemini dropped a system image and Ollama an assistant image without a word (the
 * multimodal audit's finding 6).
 */

const png = 'data:image/png;base64,iVBORw0KGgo=';
const withImage = (text: string) => [{ type: 'text' as const, text }, { type: 'image_url' as const, image_url: { url: png } }];

describe('images in text-only messages: one 400 naming the role, before any call', () => {
  let running: MultiProviderGateway;
  before(async () => {
    running = await startMultiProviderGateway();
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  async function refused(model: string, messages: ChatCompletionMessageParam[], role: string, param: string): Promise<void> {
    await assert.rejects(running.openai.chat.completions.create({ model, messages }), (error: unknown) => {
      assert.ok(error instanceof BadRequestError, String(error));
      assert.equal((error.error as { param?: string }).param, param);
      assert.match(error.message, new RegExp(`only: ${role} messages may contain text only`));
      return true;
    });
    assert.equal(running.upstream.requests.length, 0);
  }

  const assistantImage: ChatCompletionMessageParam[] = [
    { role: 'user', content: 'Draw a cat.' },
    { role: 'assistant', content: withImage('Here it is.') as never },
    { role: 'user', content: 'Thanks.' },
  ];

  for (const model of ['ant/claude-sonnet-4-5', 'br/us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'oll/llava']) {
    it(`${model.split('/')[0]}: an image in an assistant turn is named as an assistant message's`, async () => {
      await refused(model, assistantImage, 'assistant', 'messages[1].content');
    });
  }

  for (const model of ['ant/claude-sonnet-4-5', 'gem/gemini-2.5-flash', 'vtx/gemini-2.5-flash', 'br/us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'oll/llava']) {
    it(`${model.split('/')[0]}: an image in a system or developer message is refused`, async () => {
      await refused(model, [{ role: 'system', content: withImage('Be brief.') as never }, { role: 'user', content: 'hi' }], 'system', 'messages[0].content');
      await refused(model, [{ role: 'user', content: 'hi' }, { role: 'developer', content: withImage('Be brief.') as never }], 'developer', 'messages[1].content');
    });
  }

  it('gemini: a system message of text parts still goes to systemInstruction; an assistant image still goes up (model turns take inlineData)', async () => {
    await running.openai.chat.completions.create({ model: 'gem/gemini-2.5-flash', messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, ...assistantImage] });
    const body = running.upstream.requests.at(-1)?.json as { systemInstruction: unknown; contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> };
    assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be brief.' }] });
    assert.deepEqual(body.contents[1].parts[1], { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } });
  });
});
