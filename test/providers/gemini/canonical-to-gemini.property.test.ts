import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ChatMessage } from '../../../src/canonical/chat.ts';
import { convertToGeminiRequest } from '../../../src/providers/gemini/convert-to-gemini-request.ts';
import type { GeminiPart } from '../../../src/providers/gemini/gemini-api.ts';
import { encodeToolCallId, skipSignatureValidator } from '../../../src/providers/gemini/gemini-tool-call-id.ts';

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
const name = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,15}$/);
const args = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
const result = fc.oneof(text, fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)));
const signature = fc.option(fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => Buffer.from(bytes).toString('base64')), { nil: undefined });

interface Step { user: string; assistant: string | undefined; calls: Array<{ name: string; args: Record<string, unknown>; result: string; signature: string | undefined }> }
const step = fc.record({ user: text, assistant: fc.option(text, { nil: undefined }), calls: fc.array(fc.record({ name, args, result, signature }), { maxLength: 3 }) });

/** A conversation: each step is a user turn, then an assistant turn (text and/or calls), then the calls' results. */
function conversation(steps: Step[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let counter = 0;
  for (const item of steps) {
    messages.push({ role: 'user', content: item.user });
    if (item.assistant === undefined && item.calls.length === 0) continue;
    const ids = item.calls.map((call) => encodeToolCallId(`call_${counter++}`, call.signature));
    messages.push({
      role: 'assistant',
      content: item.assistant ?? null,
      ...(item.calls.length > 0 ? { tool_calls: item.calls.map((call, index) => ({ id: ids[index], type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.args) } })) } : {}),
    });
    item.calls.forEach((call, index) => messages.push({ role: 'tool', tool_call_id: ids[index], content: call.result }));
  }
  return messages;
}

function expectedResponse(content: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(content);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { result: parsed };
  } catch {
    return { result: content };
  }
}

test('canonical -> Gemini keeps every text, tool call (name, arguments, signature) and tool result, in order, with alternating roles (but a function-response turn holds only functionResponse parts, the user text and images in a user turn after it)', () => {
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 5 }), (steps) => {
      const body = convertToGeminiRequest({ model: 'gemini-2.5-flash', messages: conversation(steps) }, 'gemini-2.5-flash');
      const answersCalls = (content: (typeof body.contents)[number]) => content.parts.some((part) => part.functionResponse !== undefined);
      for (const content of body.contents) if (answersCalls(content)) assert.ok(content.parts.every((part) => part.functionResponse !== undefined), JSON.stringify(content));
      for (let index = 1; index < body.contents.length; index++) {
        const [before, after] = [body.contents[index - 1], body.contents[index]];
        // Two user turns in a row only where the first answers calls and the second is the user's.
        if (after.role === before.role) assert.ok(after.role === 'user' && answersCalls(before) && !answersCalls(after), JSON.stringify([before, after]));
      }
      const userParts = body.contents.filter((content) => content.role === 'user').flatMap((content) => content.parts);
      const modelParts = body.contents.filter((content) => content.role === 'model').flatMap((content) => content.parts);

      assert.deepEqual(userParts.filter((part) => part.text !== undefined).map((part) => part.text), steps.map((item) => item.user));
      assert.deepEqual(modelParts.filter((part) => part.text !== undefined).map((part) => part.text), steps.flatMap((item) => (item.assistant === undefined ? [] : [item.assistant])));

      const calls = modelParts.filter((part): part is GeminiPart & { functionCall: NonNullable<GeminiPart['functionCall']> } => part.functionCall !== undefined);
      const expectedCalls = steps.flatMap((item) => item.calls);
      assert.deepEqual(calls.map((part) => [part.functionCall.name, part.functionCall.args]), expectedCalls.map((call) => [call.name, JSON.parse(JSON.stringify(call.args))]));
      let position = 0;
      for (const item of steps) {
        const own = calls.slice(position, position + item.calls.length);
        position += item.calls.length;
        if (item.calls.length === 0) continue;
        const anySigned = item.calls.some((call) => call.signature);
        own.forEach((part, index) => {
          const wanted = item.calls[index].signature;
          if (wanted) assert.equal(Buffer.from(part.thoughtSignature!, 'base64').toString('hex'), Buffer.from(wanted, 'base64').toString('hex'));
          else if (!anySigned && index === 0) assert.equal(part.thoughtSignature, skipSignatureValidator);
          else assert.equal(part.thoughtSignature, undefined);
        });
      }

      const responses = userParts.filter((part) => part.functionResponse !== undefined).map((part) => part.functionResponse!);
      assert.deepEqual(responses.map((response) => [response.name, response.response]), expectedCalls.map((call) => [call.name, expectedResponse(call.result)]));
      // Ids the gateway did not make go back on both the call and its result, so Gemini can pair them.
      assert.deepEqual(responses.map((response) => response.id), calls.map((part) => part.functionCall.id));
      assert.ok(calls.every((part, index) => part.functionCall.id === `call_${index}`));
    }),
    { numRuns: 300 },
  );
});
