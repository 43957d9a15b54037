import type { Logger } from 'pino';
import type { ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import { bodyStream, wholeBody } from '../../upstream/read-body.ts';
import { OpenAIProvider } from '../openai/openai-provider.ts';
import { stripCanonicalExtensions } from '../openai/strip-canonical-extensions.ts';
import type { ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import { convertMistralResponse } from './convert-mistral-response.ts';
import { convertToMistralEmbeddingRequest } from './convert-to-mistral-embedding-request.ts';
import { convertToMistralRequest } from './convert-to-mistral-request.ts';
import { mistralDroppedParameters } from './mistral-api.ts';
import { mapMistralStream } from './mistral-stream-mapper.ts';

/**
 * Mistral's API (the `mistral` preset): OpenAI's passthrough, with the request and the answer of a
 * chat call adjusted where Mistral's API differs from OpenAI's (README.md). A request that needs
 * nothing goes as the client's own bytes; an answer that needs nothing as Mistral's own bytes, and
 * of a stream only the events that need a fix are parsed. An embeddings request gets Mistral's
 * names (`dimensions` -> `output_dimension`, no `user`); the rest passes untouched.
 */
export class MistralProvider extends OpenAIProvider {
  /** OpenAI parameters Mistral rejects: the gateway warns (or refuses under strict_params), then they are left out. */
  readonly droppedParameters = mistralDroppedParameters;
  readonly #logger: Logger;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    super(settings, dependencies);
    this.#logger = dependencies.logger;
  }

  protected override bodyFor(call: ProviderCall): string | Buffer {
    if (call.operation === 'embeddings') return this.#embeddingBody(call);
    if (call.operation !== 'chat') return super.bodyFor(call);
    const canonical = call.clientFormat === 'openai' ? (call.request as ChatRequest) : stripCanonicalExtensions(call.request as ChatRequest, this.sendsReasoningContent);
    const { request, changes } = convertToMistralRequest(canonical);
    if (changes.length === 0) return super.bodyFor(call);
    this.#logger.debug({ requestId: call.requestId, provider: this.settings.name, changes }, 'adjusted the request to what Mistral accepts');
    return JSON.stringify(request);
  }

  /** An embeddings body Mistral accepts (convert-to-mistral-embedding-request.ts); the client's bytes when nothing needs a change. */
  #embeddingBody(call: ProviderCall): string | Buffer {
    const { request, changes } = convertToMistralEmbeddingRequest(call.request as EmbeddingRequest, this.settings.name);
    if (changes.length === 0) return super.bodyFor(call);
    this.#logger.debug({ requestId: call.requestId, provider: this.settings.name, changes }, 'adjusted the request to what Mistral accepts');
    return JSON.stringify({ ...request, model: call.model });
  }

  override async send(call: ProviderCall): Promise<ProviderReply> {
    const reply = await super.send(call);
    if (call.operation !== 'chat' || reply.kind !== 'passthrough') return reply;
    if (reply.stream) {
      // Mistral reports a stream's usage whether asked or not (it takes no stream_options): the
      // usage chunk mapMistralStream makes of it reaches only a client that asked for it, as from OpenAI.
      const asked = (call.request as ChatRequest).stream_options?.include_usage === true;
      return { ...reply, body: mapMistralStream(bodyStream(reply.body)), dropUsageChunk: !asked };
    }
    return { ...reply, body: convertMistralResponse(await wholeBody(reply.body, this.settings.name)) };
  }
}
