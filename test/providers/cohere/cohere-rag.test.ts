import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type OpenAI from 'openai';
import type { StandIn } from '../../helpers/stand-in-server.ts';
import { onlyRequest, startProviderGateway } from '../../helpers/provider-gateway.ts';
import { collect, refusal, weatherTool } from '../../helpers/openai-sdk.ts';
import { cohereRagStandIn } from './cohere-rag-stand-in.ts';

const model = 'cohere/command-a-03-2025';

const documents = [
  { id: 'physics-1', data: { title: 'Why the sky is blue', text: 'Rayleigh scattering makes the sky blue.' } },
  'Sunsets are red because light crosses more air.',
];

/** Cohere's RAG fields as an OpenAI client sends them: extra body fields the SDK passes on. */
type RagParams = { documents?: unknown; citation_options?: unknown };
type Params = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming & RagParams;
type StreamParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming & RagParams;

/** A message or delta with the gateway's `citations` extension (Cohere's shape). */
type WithCitations = { citations?: Array<{ start: number; end: number; text: string; sources: Array<{ type: string; id: string }> }> };

/**
 * Audit provider-fidelity-3 finding 4: an OpenAI SDK client grounding a Cohere answer in its own
 * documents (Cohere's `documents` and `citation_options`, sent as extra body fields) gets them to
 * Cohere as Cohere takes them, and the answer's citations back in `message.citations` (streamed:
 * on the finish chunk's delta). Malformed fields are a 400 naming them before any upstream call;
 * without the fields nothing changes.
 */
describe('Cohere RAG: documents and citations for OpenAI clients (audit provider-fidelity-3 F4)', () => {
  let upstream: StandIn;
  let client: OpenAI;
  let close: () => Promise<void>;

  before(async () => {
    ({ upstream, client, close } = await startProviderGateway(cohereRagStandIn, (upstreamUrl) => ({ env: { CO_API_KEY: 'co-key', CO_API_URL: upstreamUrl } })));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  after(() => close());

  function sent(): Record<string, unknown> {
    return onlyRequest(upstream, '/v2/chat').json as Record<string, unknown>;
  }

  it('documents and citation_options go to Cohere as sent; the answer is grounded and message.citations comes back', async () => {
    const params: Params = { model, messages: [{ role: 'user', content: 'Why is the sky blue?' }], documents, citation_options: { mode: 'FAST' } };
    const completion = await client.chat.completions.create(params);
    const body = sent();
    assert.deepEqual(body.documents, documents);
    assert.deepEqual(body.citation_options, { mode: 'FAST' });
    const message = completion.choices[0].message as typeof completion.choices[0]['message'] & WithCitations;
    assert.equal(message.content, 'The sources say: Rayleigh scattering makes the sky blue.');
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(message.citations?.length, 1);
    const [citation] = message.citations!;
    assert.equal(message.content!.slice(citation.start, citation.end), citation.text);
    assert.deepEqual(citation.sources.map((source) => [source.type, source.id]), [['document', 'physics-1']]);
  });

  it('streamed: the text as usual, the citations on the finish chunk\'s delta and nowhere else', async () => {
    const params: StreamParams = { model, stream: true, messages: [{ role: 'user', content: 'Why is the sky blue?' }], documents: ['Rayleigh scattering makes the sky blue.'] };
    const chunks = await collect(await client.chat.completions.create(params));
    assert.deepEqual(sent().documents, ['Rayleigh scattering makes the sky blue.']);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    assert.equal(text, 'The sources say: Rayleigh scattering makes the sky blue.');
    const finish = chunks.findIndex((chunk) => chunk.choices[0]?.finish_reason === 'stop');
    const withCitations = chunks.flatMap((chunk, index) => ((chunk.choices[0]?.delta as WithCitations | undefined)?.citations ? [index] : []));
    assert.deepEqual(withCitations, [finish]);
    const citations = (chunks[finish].choices[0].delta as WithCitations).citations!;
    assert.deepEqual(citations.map((citation) => [citation.text, text.slice(citation.start, citation.end), citation.sources[0].id]), [
      ['Rayleigh scattering makes the sky blue.', 'Rayleigh scattering makes the sky blue.', 'doc:0'],
    ]);
  });

  it('a malformed documents or citation_options is a 400 naming it, before any upstream call', async () => {
    const cases: Array<[RagParams, string]> = [
      [{ documents: 'Rayleigh scattering.' }, 'documents'],
      [{ documents: [42] }, 'documents[0]'],
      [{ documents: ['ok', { id: 'd2' }] }, 'documents[1].data'],
      [{ documents: [{ data: 5 }] }, 'documents[0].data'],
      [{ documents: [{ id: 7, data: { text: 'x' } }] }, 'documents[0].id'],
      [{ citation_options: 'FAST' }, 'citation_options'],
      [{ documents, citation_options: { mode: 'fastest' } }, 'citation_options.mode'],
    ];
    for (const [fields, param] of cases) {
      const params: Params = { model, messages: [{ role: 'user', content: 'Why?' }], ...fields };
      const error = await refusal(client.chat.completions.create(params));
      assert.equal(error.status, 400, param);
      assert.equal(error.param, param);
      assert.equal((error.error as { type?: string }).type, 'invalid_request_error');
    }
    assert.equal(upstream.requests.length, 0);
  });

  it('without documents or citation_options nothing changes (citations of tool results are left out); citation_options alone returns them', async () => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '21 degrees and sunny' },
    ];
    const plain: Params = { model, messages, tools: [weatherTool], documents: null };
    const completion = await client.chat.completions.create(plain);
    const body = sent();
    assert.equal('documents' in body, false);
    assert.equal('citation_options' in body, false);
    assert.equal(completion.choices[0].message.content, 'The sources say: 21 degrees and sunny');
    assert.equal('citations' in completion.choices[0].message, false);

    upstream.requests.length = 0;
    const asked: Params = { model, messages, tools: [weatherTool], citation_options: { mode: 'ACCURATE' } };
    const cited = (await client.chat.completions.create(asked)).choices[0].message as WithCitations;
    assert.deepEqual(sent().citation_options, { mode: 'ACCURATE' });
    assert.deepEqual(cited.citations?.map((citation) => [citation.text, citation.sources[0].type]), [['21 degrees and sunny', 'tool']]);
  });
});
