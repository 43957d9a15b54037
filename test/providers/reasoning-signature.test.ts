import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerSignatureFor, signedThinkingOf, StreamedSignatures, wrapReasoningSignature } from '../../src/providers/reasoning-signature.ts';
import { AnthropicStreamMapper } from '../../src/providers/anthropic/anthropic-stream-mapper.ts';
import { convertAnthropicResponse } from '../../src/providers/anthropic/convert-anthropic-response.ts';

const anthropicSignature = 'EqQBCkgIBxABGAIiQNm3Jb1mXkqvP9y0c2vQ0Yx8nC6p0oT3v1r0sZ8bL0cA==';

describe('reasoning signatures for OpenAI chat clients (a digest of the text they sign)', () => {
  it('a wrapped signature gives back the provider\'s own for its text, nothing for another text', () => {
    const wrapped = wrapReasoningSignature(anthropicSignature, 'Let me think.');
    assert.match(wrapped, /^tg1\.[A-Za-z0-9_-]{16}\.EqQB/);
    assert.equal(providerSignatureFor(wrapped, 'Let me think.'), anthropicSignature);
    assert.equal(providerSignatureFor(wrapped, 'think.'), undefined);
    assert.equal(providerSignatureFor(wrapped, 'Let me think. '), undefined);
  });

  it("a provider's own signature (from any client) goes back as it came", () => {
    assert.equal(providerSignatureFor(anthropicSignature, 'any text'), anthropicSignature);
    assert.equal(providerSignatureFor('tg1.short', 'x'), 'tg1.short');
  });

  it('signedThinkingOf: the text and the provider\'s signature, or nothing to send back', () => {
    const wrapped = wrapReasoningSignature(anthropicSignature, 'Let me think.');
    assert.deepEqual(signedThinkingOf({ role: 'assistant', reasoning_content: 'Let me think.', reasoning_signature: wrapped }), { text: 'Let me think.', signature: anthropicSignature });
    assert.equal(signedThinkingOf({ role: 'assistant', reasoning_content: 'think.', reasoning_signature: wrapped }), undefined);
    assert.equal(signedThinkingOf({ role: 'assistant', reasoning_content: 'Let me think.' }), undefined);
    assert.equal(signedThinkingOf({ role: 'assistant', reasoning_signature: wrapped }), undefined);
    assert.equal(signedThinkingOf({ role: 'assistant', reasoning_content: 'x', reasoning_signature: '' }), undefined);
  });

  it('StreamedSignatures signs the text of the current block only', () => {
    const signatures = new StreamedSignatures();
    signatures.startBlock();
    signatures.addText('first ');
    signatures.startBlock();
    signatures.addText('sec');
    signatures.addText('ond');
    assert.equal(signatures.wrap('S'), wrapReasoningSignature('S', 'second'));
  });

  it('the anthropic stream mapper wraps only for OpenAI chat clients, over the streamed text', () => {
    const events = [
      { type: 'message_start', message: { id: 'msg_1', model: 'claude-sonnet-4-5', usage: { input_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: anthropicSignature } },
    ];
    const signatureOf = (wrapSignatures: boolean) => {
      const mapper = new AnthropicStreamMapper({ provider: 'anthropic', jsonToolName: null, wrapSignatures });
      return events.flatMap((event) => mapper.map(event as never)).map((chunk) => chunk.choices[0]?.delta.reasoning_signature).find((signature) => signature !== undefined);
    };
    assert.equal(signatureOf(true), wrapReasoningSignature(anthropicSignature, 'Let me think.'));
    assert.equal(signatureOf(false), anthropicSignature);
  });

  it('a whole answer with two thinking blocks: the signature covers the last block, so the joined text does not go back', () => {
    const response = convertAnthropicResponse(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [
          { type: 'thinking', thinking: 'One.', signature: 'SIG1' },
          { type: 'thinking', thinking: 'Two.', signature: 'SIG2' },
        ],
        stop_reason: 'end_turn',
        usage: { input_tokens: 1, output_tokens: 1 },
      } as never,
      { jsonToolName: null, wrapSignatures: true },
    );
    const message = response.choices[0].message;
    assert.equal(message.reasoning_content, 'One.Two.');
    assert.equal(message.reasoning_signature, wrapReasoningSignature('SIG2', 'Two.'));
    assert.equal(signedThinkingOf(message), undefined);
  });
});
