import type { ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { UpstreamRequest, WholeUpstreamResponse } from '../../upstream/upstream-client.ts';
import { parseUpstreamJson, postForStream, postWhole, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import { refuseOrDropParameters } from '../refuse-or-drop-parameters.ts';
import { toEmbeddingResponse } from '../to-embedding-response.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import type { BedrockConverseResponse } from './bedrock-api.ts';
import { bedrockAnthropicBetas } from './bedrock-anthropic-beta.ts';
import { bearerHeaders, createBedrockSigner, signedHeaders } from './bedrock-auth.ts';
import { cohereBatchSize, cohereBody, cohereVectors, embeddingFamilyOf, embeddingTexts, titanBody, titanVector } from './bedrock-embeddings.ts';
import { bedrockRuntimeUrl, conversePath, invokePath, regionOfEndpoint } from './bedrock-endpoint.ts';
import { mapBedrockError } from './bedrock-error.ts';
import { parseBedrockOptions, type BedrockOptions } from './bedrock-options.ts';
import { openBedrockEventStream } from './bedrock-stream-mapper.ts';
import { convertBedrockResponse } from './convert-bedrock-response.ts';
import { convertToBedrockRequest, type BedrockRequestPlan } from './convert-to-bedrock-request.ts';
import { isClaude, streamsToolUse } from './bedrock-model-features.ts';
import { converseAnswerAsChunks } from './converse-answer-as-stream.ts';

const eventStreamType = 'application/vnd.amazon.eventstream';

/** The region SigV4 signs for when neither the options nor the endpoint's host name one (AWS's own default). */
const fallbackSigningRegion = 'us-east-1';

/** Titan embeds one text per call: this many calls run at once for a list of inputs. */
const titanCallsAtOnce = 8;

/**
 * Amazon Bedrock: chat through the Converse API and ConverseStream (AWS event-stream frames),
 * embeddings through InvokeModel (Titan Text Embeddings, Cohere Embed), translated through the
 * canonical model. A Bedrock API key (the configured api_key, or the client's own under BYOK) is
 * sent as a bearer token; otherwise requests are SigV4-signed with the configured AWS credentials.
 */
export class BedrockProvider implements Provider {
  readonly settings: ProviderSettings;
  readonly nativeFormat = null;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'embeddings']);
  readonly droppedParameters: ReadonlySet<string> = new Set(['seed', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'logprobs', 'top_logprobs', 'parallel_tool_calls', 'service_tier', 'user', 'modalities', 'audio']);
  readonly #dependencies: ProviderDependencies;
  readonly #options: BedrockOptions;
  readonly #baseUrl: string;
  /** Signs with the configured AWS credentials; null without them. */
  readonly #signer: ReturnType<typeof createBedrockSigner> | null;
  /** A call without a Bedrock API key is signed with the gateway's AWS access keys, when it has them. */
  readonly holdsCredential: boolean;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    this.#options = parseBedrockOptions(settings.name, settings.options);
    const configuredUrl = settings.baseUrl.replace(/\/+$/, '');
    this.#baseUrl = configuredUrl !== '' ? configuredUrl : this.#options.region ? bedrockRuntimeUrl(this.#options.region) : '';
    const signingRegion = this.#options.region ?? regionOfEndpoint(this.#baseUrl) ?? fallbackSigningRegion;
    this.#signer = this.#options.credentials ? createBedrockSigner(this.#options.credentials, signingRegion) : null;
    this.holdsCredential = this.#signer !== null;
    if (this.#baseUrl === '') {
      // Zero-config enables bedrock from AWS_ACCESS_KEY_ID alone; start anyway and say why calls fail.
      dependencies.logger.warn({ provider: settings.name }, 'bedrock provider has no region: set AWS_REGION, options.region or base_url');
    }
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    if (call.operation !== 'chat' && call.operation !== 'embeddings') throw errors.operationNotSupported(this.settings.name, call.operation);
    if (this.#baseUrl === '') {
      throw errors.providerNotConfigured(`Provider '${this.settings.name}' has no region: set AWS_REGION (or AWS_DEFAULT_REGION), providers.${this.settings.name}.options.region or base_url.`);
    }
    return call.operation === 'chat' ? this.#chat(call.request as ChatRequest, call) : this.#embeddings(call.request as EmbeddingRequest, call);
  }

  async #chat(request: ChatRequest, call: ProviderCall): Promise<ProviderReply> {
    const plan = convertToBedrockRequest(request, call.model);
    refuseOrDropParameters(plan.unhonoured, this.settings, this.#dependencies.logger, call.requestId);
    // Streams keep Converse's default (sync) guardrail processing: nothing reaches the client before the guardrail has seen it.
    if (this.#options.guardrail) plan.body.guardrailConfig = this.#options.guardrail;
    this.#addAnthropicBetas(plan, call);
    const body = JSON.stringify(plan.body);
    const context = {
      id: `chatcmpl-${call.requestId}`,
      model: request.model ?? call.model,
      created: Math.floor(Date.now() / 1000),
      jsonToolName: plan.jsonToolName,
      jsonText: plan.jsonText,
      stopSequences: plan.stopSequences,
      // OpenAI chat clients get reasoning signatures with a digest of their text (../reasoning-signature.ts); the other formats keep Bedrock's own.
      wrapSignatures: call.clientFormat === 'openai',
    };
    if (!call.stream) return { kind: 'response', response: convertBedrockResponse(await this.#converse(call, body), context) };
    // ConverseStream refuses a toolConfig on these models ("doesn't support tool use in streaming mode"); Converse takes it: its answer is replayed as the stream.
    if (plan.body.toolConfig !== undefined && !streamsToolUse(call.model)) {
      return { kind: 'stream', chunks: converseAnswerAsChunks(await this.#converse(call, body), { ...context, provider: this.settings.name, secrets: this.#secrets(call) }) };
    }
    const response = await postForStream(this.#dependencies.upstream, this.#upstreamRequest(call, conversePath(call.model, true), body, eventStreamType), this.#mapError(call));
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes(eventStreamType)) {
      response.body.dump().catch(() => {});
      throw errors.upstreamBadResponse(this.settings.name, `expected an event stream, got '${contentType || 'no content type'}'`);
    }
    const chunks = await openBedrockEventStream(response.body, { ...context, provider: this.settings.name, secrets: this.#secrets(call) }, call.signal);
    return { kind: 'stream', chunks };
  }

  /** A Converse call (not streamed): its answer, checked to be one. */
  async #converse(call: ProviderCall, body: string): Promise<BedrockConverseResponse> {
    const answer = this.#parseJson<BedrockConverseResponse>(await this.#postWhole(call, conversePath(call.model, false), body));
    if (answer === null || typeof answer !== 'object' || typeof answer.output?.message !== 'object') throw errors.upstreamBadResponse(this.settings.name, 'the body is not a Converse response');
    return answer;
  }

  /**
   * Claude's beta features (bedrock-anthropic-beta.ts): a client's `anthropic-beta` header (the
   * Anthropic SDKs' `betas`) and the provider's configured one, as Claude's `anthropic_beta` in
   * additionalModelRequestFields; the client's betas Bedrock does not take are left out (logged).
   */
  #addAnthropicBetas(plan: BedrockRequestPlan, call: ProviderCall): void {
    if (!isClaude(call.model)) return;
    const { betas, left } = bedrockAnthropicBetas(this.settings.headers['anthropic-beta'], call.clientHeaders?.['anthropic-beta']);
    if (left.length > 0) this.#dependencies.logger.debug({ requestId: call.requestId, provider: this.settings.name, betas: left }, 'anthropic-beta features Bedrock does not take were left out');
    if (betas.length > 0) plan.body.additionalModelRequestFields = { ...plan.body.additionalModelRequestFields, anthropic_beta: betas };
  }

  /** Titan: one InvokeModel call per text (a few at a time); Cohere: one per 96 texts. Vectors come back in input order. */
  async #embeddings(request: EmbeddingRequest, call: ProviderCall): Promise<ProviderReply> {
    const family = embeddingFamilyOf(call.model);
    if (family === null) {
      throw errors.invalidRequest(`Provider '${this.settings.name}' embeds with Amazon Titan Text Embeddings (amazon.titan-embed-text-*) and Cohere Embed (cohere.embed-*) models; '${call.model}' is neither.`, 'model');
    }
    const texts = embeddingTexts(request);
    const path = invokePath(call.model);
    const vectors: number[][] = [];
    let tokens: number | undefined = 0;
    const count = (reported: number | undefined) => {
      tokens = tokens === undefined || reported === undefined ? undefined : tokens + reported;
    };
    if (family === 'titan') {
      for (let start = 0; start < texts.length; start += titanCallsAtOnce) {
        const batch = texts.slice(start, start + titanCallsAtOnce);
        const answers = await Promise.all(batch.map(async (text) => titanVector(this.#parseJson(await this.#postWhole(call, path, JSON.stringify(titanBody(text, request)))), this.settings.name)));
        for (const answer of answers) {
          vectors.push(answer.vector);
          count(answer.tokens);
        }
      }
    } else {
      for (let start = 0; start < texts.length; start += cohereBatchSize) {
        const batch = texts.slice(start, start + cohereBatchSize);
        const response = await this.#postWhole(call, path, JSON.stringify(cohereBody(batch, request, this.#options.embeddingInputType)));
        vectors.push(...cohereVectors(this.#parseJson(response), batch.length, this.settings.name));
        const reported = response.headers['x-amzn-bedrock-input-token-count'];
        count(typeof reported === 'string' && /^\d+$/.test(reported) ? Number(reported) : undefined);
      }
    }
    return { kind: 'response', response: toEmbeddingResponse(vectors, texts, tokens, request) };
  }

  /** A call that is not streamed (postWhole): the response whole, its headers kept (Cohere Embed's token count is one). */
  #postWhole(call: ProviderCall, path: string, body: string): Promise<WholeUpstreamResponse> {
    return postWhole(this.#dependencies.upstream, this.#upstreamRequest(call, path, body, 'application/json'), this.#mapError(call));
  }

  #parseJson<T>(response: WholeUpstreamResponse): T {
    return parseUpstreamJson<T>(response.body.toString('utf8'), this.settings.name);
  }

  /** Bedrock's error mapping, every credential of the call scrubbed (for the shared post helpers). */
  #mapError(call: ProviderCall): UpstreamErrorMapper {
    return (status, headers, text) => mapBedrockError(this.settings.name, status, headers, text, this.#secrets(call));
  }

  /** What must never reach a client or a log, should AWS echo it. */
  #secrets(call: ProviderCall): Array<string | undefined> {
    return [call.apiKey, this.#options.credentials?.secretAccessKey, this.#options.credentials?.sessionToken];
  }

  /**
   * The request with its auth: a Bedrock API key as a bearer token when the call has one (the
   * configured key or the client's, BYOK), else a SigV4 signature over these exact bytes, host and path.
   */
  #upstreamRequest(call: ProviderCall, path: string, body: string, accept: string): UpstreamRequest {
    const url = `${this.#baseUrl}${path}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept, ...call.upstreamHeaders, ...this.settings.headers };
    let sent: Record<string, string>;
    if (call.apiKey) sent = { ...headers, ...bearerHeaders(call.apiKey) };
    else if (this.#signer) sent = signedHeaders(this.#signer, { url, headers, body });
    else {
      throw new GatewayError({
        status: 401,
        type: 'authentication_error',
        code: 'missing_provider_key',
        message: `No credential is configured for provider '${this.settings.name}': set a Bedrock API key (api_key or AWS_BEARER_TOKEN_BEDROCK) or AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or send your own Bedrock API key where the provider allows it (byok).`,
      });
    }
    return { url, headers: sent, body, signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name };
  }
}
