import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ResponseInputItem } from 'openai/resources/responses/responses';
import { startGateway, type RunningGateway } from '../../helpers/start-gateway.ts';
import { startStandIn, type RecordedRequest, type StandIn } from '../../helpers/stand-in-server.ts';

/**
 * Responses API clients through the gateway to Gemini (stand-in): a function output's image
 * reaches the model (as an Anthropic client's tool_result image does), and Gemini's thought
 * signature still round-trips in the call_id of a reasoning + tools loop.
 */

type Reply = (request: RecordedRequest, response: ServerResponse) => void;
type Content = { role: string; parts: Array<Record<string, unknown>> };

function json(body: unknown): Reply {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(JSON.stringify(body));
  };
}

function answer(parts: unknown[], finishReason = 'STOP'): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 6, totalTokenCount: 26 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'resp-gemini-1',
  };
}

const model = 'gemini/gemini-2.5-flash';
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const chartTool = { type: 'function' as const, name: 'get_chart', description: 'A chart', parameters: { type: 'object', properties: {} }, strict: null };

describe('Responses API clients through the gateway: Gemini provider (stand-in)', () => {
  let upstream: StandIn;
  let gateway: RunningGateway;
  let client: OpenAI;
  let reply: Reply = json(answer([{ text: 'ok' }]));

  before(async () => {
    upstream = await startStandIn((request, response) => reply(request, response));
    gateway = await startGateway('{}', { GEMINI_API_KEY: 'gemini-upstream-key', GEMINI_BASE_URL: upstream.url });
    client = new OpenAI({ baseURL: gateway.baseURL, apiKey: 'client-key', maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(async () => {
    await gateway.close();
    await upstream.close();
  });

  function sentContents(): Content[] {
    assert.equal(upstream.requests.length, 1);
    return (upstream.requests[0].json as { contents: Content[] }).contents;
  }

  it("a function_call_output's image reaches Gemini: inlineData in the user turn after the functionResponse's own (Gemini 3 refuses a function-response turn holding anything else)", async () => {
    reply = json(answer([{ text: 'The chart rises.' }]));
    const response = await client.responses.create({
      model,
      tools: [chartTool],
      input: [
        { role: 'user', content: 'What does the chart show?' },
        { type: 'function_call', call_id: 'call_chart1', name: 'get_chart', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_chart1', output: [{ type: 'input_text', text: 'chart attached' }, { type: 'input_image', image_url: `data:image/png;base64,${png}`, detail: 'auto' }] },
      ],
    });
    assert.equal(response.output_text, 'The chart rises.');
    assert.deepEqual(sentContents().slice(1), [
      { role: 'model', parts: [{ functionCall: { id: 'call_chart1', name: 'get_chart', args: {} }, thoughtSignature: 'skip_thought_signature_validator' }] },
      { role: 'user', parts: [{ functionResponse: { id: 'call_chart1', name: 'get_chart', response: { result: 'chart attached' } } }] },
      { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: png } }] },
    ]);
  });

  it('an output that is only an image still answers its call, and the image follows', async () => {
    reply = json(answer([{ text: 'A dot.' }]));
    await client.responses.create({
      model,
      tools: [chartTool],
      input: [
        { role: 'user', content: 'Chart?' },
        { type: 'function_call', call_id: 'call_chart2', name: 'get_chart', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_chart2', output: [{ type: 'input_image', image_url: `data:image/png;base64,${png}`, detail: 'auto' }] },
      ],
    });
    assert.deepEqual(sentContents().slice(-2), [
      { role: 'user', parts: [{ functionResponse: { id: 'call_chart2', name: 'get_chart', response: { result: '[1 attachment(s) of this result in the next message]' } } }] },
      { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: png } }] },
    ]);
  });

  it("reasoning + tools: Gemini's thought signature still goes back through the call_id, and its unsigned thoughts stay out", async () => {
    reply = json(answer([{ text: 'Charts need the tool.', thought: true }, { functionCall: { name: 'get_chart', args: {} }, thoughtSignature: 'Cq0CAdHtim9gZW1pbmk=' }]));
    const input: ResponseInputItem[] = [{ role: 'user', content: 'Chart?' }];
    const first = await client.responses.create({ model, tools: [chartTool], reasoning: { effort: 'low' }, input });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call?.type === 'function_call');
    const reasoning = first.output.find((item) => item.type === 'reasoning');
    assert.ok(reasoning === undefined || !('encrypted_content' in reasoning), 'no signed thinking block to carry');

    upstream.requests.length = 0;
    reply = json(answer([{ text: 'Done.' }]));
    await client.responses.create({ model, tools: [chartTool], reasoning: { effort: 'low' }, input: [...input, ...(first.output as ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'rising' }] });
    assert.deepEqual(sentContents()[1], { role: 'model', parts: [{ functionCall: { name: 'get_chart', args: {} }, thoughtSignature: 'Cq0CAdHtim9gZW1pbmk=' }] });
  });
});
