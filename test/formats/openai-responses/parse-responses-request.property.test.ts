import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { GatewayError } from '../../../src/errors/gateway-error.ts';
import { convertFromResponsesRequest } from '../../../src/formats/openai-responses/convert-from-responses-request.ts';
import { parseResponsesRequest } from '../../../src/formats/openai-responses/parse-responses-request.ts';
import { responsesEchoOf } from '../../../src/formats/openai-responses/responses-echo.ts';

// Whatever a client sends, reading it either works or is a 400 GatewayError naming a field: never
// a crash (which would be a 500) and never a canonical request without messages.

const loose = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.object({ maxDepth: 1 }));

/** Mostly a value the gateway takes, sometimes anything: enough requests get through to exercise the conversion. */
function mostly<T>(valid: fc.Arbitrary<T>, weight = 30): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid, weight }, { arbitrary: loose, weight: 1 });
}

const text = fc.string({ maxLength: 6 });
const callId = fc.constantFrom('call_1', 'call_2');
const inputPart = fc.oneof(
  fc.record({ type: fc.constant('input_text'), text: mostly(text) }),
  fc.record({ type: fc.constant('input_image'), image_url: mostly(fc.constantFrom('https://example.com/a.png', 'data:image/png;base64,AA==')), detail: fc.constantFrom('auto', 'low', 'original', 'huge'), file_id: fc.constantFrom(undefined, null, 'file-1') }),
  fc.record({ type: fc.constant('input_file'), file_data: mostly(fc.constant('data:application/pdf;base64,AA==')), filename: mostly(text) }),
  fc.record({ type: mostly(fc.constantFrom('input_audio', 'output_text')), text: loose }),
);
const assistantPart = fc.oneof(fc.record({ type: fc.constant('output_text'), text: mostly(text), annotations: fc.constant([]) }), fc.record({ type: fc.constant('refusal'), refusal: mostly(text) }), inputPart);
const item = fc.oneof(
  fc.record({ type: fc.constantFrom(undefined, 'message'), role: mostly(fc.constantFrom('user', 'system', 'developer')), content: mostly(fc.oneof(text, fc.array(inputPart, { minLength: 1, maxLength: 3 }))) }),
  fc.record({ type: fc.constantFrom(undefined, 'message'), role: fc.constant('assistant'), content: mostly(fc.oneof(text, fc.array(assistantPart, { maxLength: 3 }))) }),
  fc.record({ type: fc.constant('function_call'), call_id: mostly(callId), name: mostly(fc.constant('f')), arguments: mostly(fc.constant('{}')) }),
  fc.record({ type: fc.constant('function_call_output'), call_id: mostly(callId), output: mostly(fc.oneof(text, fc.array(inputPart, { maxLength: 2 }))) }),
  fc.record({ type: fc.constantFrom('reasoning', 'item_reference', 'web_search_call', 3), id: text }),
);
const tool = fc.record({ type: mostly(fc.constant('function'), 6), name: mostly(fc.constantFrom('f', 'g')), parameters: mostly(fc.constantFrom(undefined, null, { type: 'object' })), strict: mostly(fc.constantFrom(undefined, null, true, false)), description: mostly(fc.constantFrom(undefined, 'd')) });
const request = fc.record(
  {
    model: mostly(fc.constant('echo/x'), 30),
    input: mostly(fc.oneof(text, fc.array(item, { minLength: 1, maxLength: 6 })), 30),
    instructions: mostly(fc.constantFrom(undefined, null, '', 'Be brief.')),
    tools: mostly(fc.array(tool, { maxLength: 2 })),
    tool_choice: mostly(fc.oneof(fc.constantFrom(undefined, 'auto', 'none', 'required'), fc.record({ type: fc.constant('function'), name: mostly(fc.constant('f')) }), fc.record({ type: fc.constantFrom('allowed_tools', 'mcp'), mode: fc.constantFrom('auto', 'required', 'x'), tools: fc.array(fc.record({ type: fc.constantFrom('function', 'web_search'), name: fc.constantFrom('f', 'g') }), { maxLength: 2 }) }))),
    text: mostly(fc.record({ format: fc.oneof(fc.constantFrom(undefined, null), fc.record({ type: fc.constantFrom('text', 'json_object', 'json_schema', 'yaml'), name: mostly(fc.constant('n')), schema: mostly(fc.constant({ type: 'object' })) })), verbosity: fc.constantFrom(undefined, 'low', 'loud') })),
    reasoning: mostly(fc.record({ effort: fc.constantFrom(undefined, null, 'low', 'none', 'xhigh', 'extreme') })),
    max_output_tokens: mostly(fc.constantFrom(undefined, null, 1, 100, 0, -5, 2.5)),
    temperature: mostly(fc.constantFrom(undefined, null, 0, 0.7)),
    metadata: mostly(fc.constantFrom(undefined, null, {}, { a: 'b' }, { a: 1 })),
    include: mostly(fc.constantFrom(undefined, null, [], ['message.output_text.logprobs'], ['reasoning.encrypted_content'])),
    stream: mostly(fc.constantFrom(undefined, null, true, false)),
    background: mostly(fc.constantFrom(undefined, null, false, true)),
    previous_response_id: mostly(fc.constantFrom(undefined, null)),
  },
  { requiredKeys: [] },
);

test('reading any request either works or is a 400 naming a field', () => {
  fc.assert(
    fc.property(request, (body) => {
      try {
        const parsed = parseResponsesRequest(body);
        const canonical = convertFromResponsesRequest(parsed);
        responsesEchoOf(parsed);
        assert.ok(canonical.messages.length > 0);
        assert.equal(typeof canonical.model, 'string');
      } catch (error) {
        assert.ok(error instanceof GatewayError, `not a GatewayError: ${String(error)}`);
        assert.equal(error.status, 400);
        assert.equal(error.type, 'invalid_request_error');
      }
    }),
    { numRuns: 2000 },
  );
});
