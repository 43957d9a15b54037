import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { weatherTool } from '../../helpers/openai-sdk.ts';
import { startProviderGateway, type ProviderGateway } from '../../helpers/provider-gateway.ts';
import { mistralKey, mistralStandIn } from './mistral-stand-in.ts';

/**
 * OpenAI's `function.parameters` is optional (left out: no parameters); Mistral's is required (422
 * "Field required" from the stand-in as from Mistral). Such a function goes with an empty object schema.
 */
describe('mistral: a function tool without parameters, through the gateway', () => {
  let running: ProviderGateway;
  let client: OpenAI;

  before(async () => {
    running = await startProviderGateway(mistralStandIn(), (url) => ({ config: ['providers:', `  mistral: { type: mistral, api_key: ${mistralKey}, base_url: "${url}/v1" }`].join('\n') }));
    client = running.client;
  });
  beforeEach(() => {
    running.upstream.requests.length = 0;
  });
  after(() => running.close());

  const sentTools = () => (running.upstream.requests.at(-1)!.json as { tools: unknown[] }).tools;
  const timeTool = { type: 'function' as const, function: { name: 'get_time', description: 'current time' } };

  it('gets {type: object, properties: {}}; a tool with parameters goes as declared', async () => {
    const result = await client.chat.completions.create({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'What time is it?' }], tools: [timeTool, weatherTool] });
    assert.equal(result.choices[0].finish_reason, 'tool_calls');
    assert.deepEqual(sentTools(), [{ type: 'function', function: { name: 'get_time', description: 'current time', parameters: { type: 'object', properties: {} } } }, weatherTool]);
  });

  it('also when tool_choice allowed_tools narrows the declared tools to it', async () => {
    await client.chat.completions.create({
      model: 'mistral/mistral-small-latest',
      messages: [{ role: 'user', content: 'What time is it?' }],
      tools: [weatherTool, timeTool],
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_time' } }] } },
    });
    assert.deepEqual(sentTools(), [{ type: 'function', function: { name: 'get_time', description: 'current time', parameters: { type: 'object', properties: {} } } }]);
  });
});
