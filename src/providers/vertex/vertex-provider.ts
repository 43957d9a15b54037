import type { ChatRequest } from '../../canonical/chat.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { TokenCountCall, TokenCounter, TokenCountReply } from '../anthropic/count-anthropic-tokens.ts';
import { betaFeatures, passthroughBody, sendAnthropicMessages, type MessagesBodyRewrite } from '../anthropic/send-anthropic-messages.ts';
import { prependTopLevelField, removeTopLevelModel } from '../../formats/openai/rewrite-raw-body.ts';
import { embeddingTexts } from '../embedding-texts.ts';
import { googleTaskTypeOf } from '../google-task-type.ts';
import { sendGeminiChat } from '../gemini/send-gemini-chat.ts';
import { geminiDroppedParameters } from '../gemini/gemini-provider.ts';
import { normaliseShortenedEmbeddings } from '../gemini/normalise-shortened-embeddings.ts';
import { postForJson, postWhole, type UpstreamErrorMapper } from '../post-to-upstream.ts';
import type { Provider, ProviderCall, ProviderDependencies, ProviderReply, ProviderSettings } from '../provider.ts';
import { refuseOrDropParameters } from '../refuse-or-drop-parameters.ts';
import { toEmbeddingResponse } from '../to-embedding-response.ts';
import { vertexEmbeddingBatchSize, vertexEmbeddingBody, vertexEmbeddingVectors } from './vertex-embeddings.ts';
import { publisherOf, vertexApiRoot, vertexBaseUrl, vertexModelUrl, type VertexPublisher } from './vertex-endpoint.ts';
import { mapVertexError } from './vertex-error.ts';
import { parseVertexOptions, type VertexOptions } from './vertex-options.ts';

/** The `anthropic_version` Claude on Vertex takes in the body (instead of Anthropic's header). */
export const vertexAnthropicVersion = 'vertex-2023-10-16';

/** Embedding calls run at once for a long list of inputs (gemini-embedding takes one text a call). */
const embeddingCallsAtOnce = 8;

/** Chat parameters neither Gemini nor Claude can honour: the gateway warns or refuses before the call. */
const droppedByBoth = ['logit_bias', 'service_tier', 'modalities', 'audio'];

/** Those only one publisher's models cannot honour (as the gemini and anthropic adapters list them), checked per call. */
const droppedByPublisher: Record<VertexPublisher, string[]> = {
  // parallel_tool_calls: false and thinking on a model without it are checked by value in sendGeminiChat.
  google: geminiDroppedParameters.filter((name) => !droppedByBoth.includes(name)),
  anthropic: ['seed', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs'],
};

/** A Messages body as Claude on Vertex takes it: the model is in the URL, the version in the body. */
export function toVertexMessagesBody(body: Record<string, unknown>): Record<string, unknown> {
  const { model: _model, ...rest } = body;
  return { anthropic_version: vertexAnthropicVersion, ...rest };
}

const anthropicVersionKey = Buffer.from('"anthropic_version"');

/** toVertexMessagesBody on an Anthropic client's bytes, every other byte kept; null when it cannot be sure of the edit (the body names anthropic_version itself, say). */
function toVertexMessagesBytes(body: Buffer): Buffer | null {
  if (body.includes(anthropicVersionKey)) return null;
  const withoutModel = removeTopLevelModel(body);
  return withoutModel === null ? null : prependTopLevelField(withoutModel, 'anthropic_version', vertexAnthropicVersion);
}

/** The Messages body Vertex AI takes: no model (it is in the URL), its anthropic_version. */
const vertexMessagesBody: MessagesBodyRewrite = { parsed: toVertexMessagesBody, raw: toVertexMessagesBytes };

/** The auth of one call: its headers, and the bearer token in them (scrubbed from errors). */
interface CallAuth {
  headers: Record<string, string>;
  token: string;
}

/**
 * Google Cloud Vertex AI. Gemini models (publisher google) through `:generateContent` /
 * `:streamGenerateContent?alt=sse` with the gemini adapter's converters; Claude models (publisher
 * anthropic) through `:rawPredict` / `:streamRawPredict` with the anthropic adapter's, an
 * Anthropic-format client's bytes passed through both ways (so nativeFormat is Anthropic's: a
 * Gemini model is translated whatever the client speaks); text embeddings through `:predict`.
 * Auth is a bearer token: the api_key (or the client's own under BYOK) as given, else one
 * google-auth-library gets from the credential file or, for a configured entry with neither, from
 * the metadata server (GoogleAccessTokens). Claude models count a Messages request's tokens
 * through `publishers/anthropic/models/count-tokens:rawPredict` (countTokens).
 */
export class VertexProvider implements Provider, TokenCounter {
  readonly settings: ProviderSettings;
  readonly nativeFormat = 'anthropic' as const;
  readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'embeddings']);
  readonly droppedParameters: ReadonlySet<string> = new Set(droppedByBoth);
  readonly #dependencies: ProviderDependencies;
  readonly #options: VertexOptions;
  readonly #apiRoot: string;
  /** A call without an access token goes with one from the gateway's credential file or the metadata server, when it has them. */
  readonly holdsCredential: boolean;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    this.settings = settings;
    this.#dependencies = dependencies;
    // A configured entry with neither api_key nor credential file uses Application Default Credentials' last resort, the metadata server.
    const metadataServer = settings.fromEnvironment !== true && !settings.apiKey;
    this.#options = parseVertexOptions(settings.name, settings.options, settings.fromEnvironment === true, metadataServer);
    this.holdsCredential = this.#options.tokens !== undefined;
    const configuredUrl = settings.baseUrl.replace(/\/+$/, '');
    this.#apiRoot = vertexApiRoot(configuredUrl !== '' ? configuredUrl : vertexBaseUrl(this.#options.location));
    if (this.#options.credentialsProblem !== undefined) {
      dependencies.logger.warn({ provider: settings.name, problem: this.#options.credentialsProblem }, 'vertex provider enabled from the environment cannot use its credential file');
    }
    if (this.#options.project === undefined && !this.#options.tokens?.knowsProject) {
      // Start anyway (zero-config may enable it from the credential file alone) and say why calls fail.
      dependencies.logger.warn({ provider: settings.name }, 'vertex provider has no project: set GOOGLE_CLOUD_PROJECT or options.project');
    }
  }

  async send(call: ProviderCall): Promise<ProviderReply> {
    try {
      return await this.#sendOnce(call);
    } catch (error) {
      // A token the gateway minted and Vertex refused (revoked, a rotated key) was forgotten by
      // #mapError: one more try with a new one, so the client never sees the gateway's own stale token.
      const ownToken = !call.apiKey && this.#options.tokens !== undefined;
      if (!ownToken || !(error instanceof GatewayError) || error.status !== 401 || !error.upstream || call.signal.aborted) throw error;
      return this.#sendOnce(call);
    }
  }

  async #sendOnce(call: ProviderCall): Promise<ProviderReply> {
    if (call.operation !== 'chat' && call.operation !== 'embeddings') throw errors.operationNotSupported(this.settings.name, call.operation);
    const project = await this.#project(call);
    const publisher = publisherOf(call.model);
    if (call.operation === 'embeddings' && publisher !== 'google') {
      throw errors.invalidRequest(`Provider '${this.settings.name}' embeds with Google's text-embedding and gemini-embedding models; '${call.model}' is not one.`, 'model');
    }
    if (call.operation === 'chat') this.#checkParameters(call.request as ChatRequest, publisher, call);
    const auth = await this.#auth(call);
    const modelUrl = vertexModelUrl(this.#apiRoot, project, this.#options.location, publisher, call.model);
    const mapError = this.#mapError(call, auth.token);
    const upstream = this.#dependencies.upstream;
    if (call.operation === 'embeddings') return this.#embeddings(call.request as EmbeddingRequest, call, `${modelUrl}:predict`, auth.headers, mapError);
    // Vertex requires fileData.mimeType, which the Gemini API infers.
    if (publisher === 'google') return sendGeminiChat(this.#dependencies, this.settings, call, { modelUrl, headers: auth.headers, mapError, fileMimeTypeRequired: true });
    const headers = { ...auth.headers };
    const betas = betaFeatures(headers['anthropic-beta'], call.clientHeaders?.['anthropic-beta']);
    if (betas) headers['anthropic-beta'] = betas;
    return sendAnthropicMessages(upstream, this.settings, call, {
      url: (stream) => `${modelUrl}:${stream ? 'streamRawPredict' : 'rawPredict'}`,
      headers,
      rewriteBody: vertexMessagesBody,
      mapError,
      secret: auth.token,
      logger: this.#dependencies.logger,
    });
  }

  /** The Google Cloud project of a call: the configured one, else the credential file's (not for a caller's own token). */
  async #project(call: Pick<ProviderCall, 'apiKey' | 'signal'>): Promise<string> {
    const project = this.#options.project ?? (call.apiKey ? undefined : await this.#options.tokens?.defaultProject(call.signal));
    if (project !== undefined) return project;
    throw errors.providerNotConfigured(`Provider '${this.settings.name}' has no Google Cloud project: set GOOGLE_CLOUD_PROJECT or providers.${this.settings.name}.options.project.`);
  }

  /** Claude's models count their own tokens on Vertex; Gemini's count in another shape, so the gateway estimates for them. */
  countsTokensFor(model: string): boolean {
    return publisherOf(model) === 'anthropic';
  }

  /**
   * Claude's own count of a Messages request: the client's body, with the model in it (the
   * endpoint takes it there, `claude-sonnet-4-5@20250929`), to
   * `publishers/anthropic/models/count-tokens:rawPredict`; `{"input_tokens": n}` back.
   */
  async countTokens(call: TokenCountCall): Promise<TokenCountReply> {
    const project = await this.#project(call);
    const auth = await this.#auth({ apiKey: call.apiKey, signal: call.signal, upstreamHeaders: undefined });
    const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
    const betas = betaFeatures(headers['anthropic-beta'], call.clientHeaders?.['anthropic-beta']);
    if (betas) headers['anthropic-beta'] = betas;
    const url = `${vertexModelUrl(this.#apiRoot, project, this.#options.location, 'anthropic', 'count-tokens')}:rawPredict`;
    const body = passthroughBody(call, call.rawBody);
    const mapError = this.#mapError({ apiKey: call.apiKey, clientFormat: 'anthropic' }, auth.token);
    const response = await postWhole(this.#dependencies.upstream, { url, headers, body, signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name }, mapError);
    return { body: response.body, headers: {} };
  }

  /** The publisher's own dropped parameters (the ones both lack are the gateway's to check, droppedParameters). */
  #checkParameters(request: ChatRequest, publisher: VertexPublisher, call: ProviderCall): void {
    const body = request as unknown as Record<string, unknown>;
    const names = droppedByPublisher[publisher].filter((name) => body[name] !== undefined && body[name] !== null && body[name] !== false);
    refuseOrDropParameters(names, this.settings, this.#dependencies.logger, call.requestId);
  }

  /** A bearer token: the call's credential (api_key, or the client's own under BYOK) as given, else one from the credential file. */
  async #auth(call: Pick<ProviderCall, 'apiKey' | 'signal' | 'upstreamHeaders'>): Promise<CallAuth> {
    if (call.apiKey) return { token: call.apiKey, headers: { ...call.upstreamHeaders, ...this.settings.headers, authorization: `Bearer ${call.apiKey}` } };
    const tokens = this.#options.tokens;
    if (tokens) {
      const token = await tokens.get(call.signal);
      const headers: Record<string, string> = { ...call.upstreamHeaders, ...this.settings.headers, authorization: `Bearer ${token}` };
      // A file's quota project is billed for the calls, as Google's libraries send it.
      if (tokens.quotaProject) headers['x-goog-user-project'] = tokens.quotaProject;
      return { token, headers };
    }
    const problem = this.#options.credentialsProblem === undefined ? '' : ` (${this.#options.credentialsProblem})`;
    throw new GatewayError({
      status: 401,
      type: 'authentication_error',
      code: 'missing_provider_key',
      message: `No usable credential is configured for provider '${this.settings.name}'${problem}: set GOOGLE_APPLICATION_CREDENTIALS (or options.credentials_file) to a service_account, authorized_user or external_account JSON file, or api_key to an access token, or send your own access token where the provider allows it (byok).`,
    });
  }

  /** Vertex's error mapping, the call's credentials scrubbed; a refused token is forgotten so the next call gets a new one. */
  #mapError(call: Pick<ProviderCall, 'apiKey' | 'clientFormat'>, token: string): UpstreamErrorMapper {
    return (status, headers, text) => {
      if (status === 401 && token !== call.apiKey) this.#options.tokens?.invalidate(token);
      return mapVertexError(this.settings.name, status, headers, text, [call.apiKey, token], { forAnthropicClient: call.clientFormat === 'anthropic' });
    };
  }

  /** Text embeddings through `:predict`, a batch of texts a call (a few calls at once); vectors come back in input order, unit length when `dimensions` shortened them. */
  async #embeddings(request: EmbeddingRequest, call: ProviderCall, url: string, headers: Record<string, string>, mapError: UpstreamErrorMapper): Promise<ProviderReply> {
    const texts = embeddingTexts(request, this.settings.name);
    const taskType = googleTaskTypeOf(request, this.#options.embeddingTaskType);
    const size = vertexEmbeddingBatchSize(call.model);
    const batches: string[][] = [];
    for (let start = 0; start < texts.length; start += size) batches.push(texts.slice(start, start + size));
    const vectors: number[][] = [];
    let tokens: number | undefined = 0;
    for (let start = 0; start < batches.length; start += embeddingCallsAtOnce) {
      const answers = await Promise.all(
        batches.slice(start, start + embeddingCallsAtOnce).map(async (batch) => {
          const body = JSON.stringify(vertexEmbeddingBody(batch, request, taskType));
          const answer = await postForJson<unknown>(this.#dependencies.upstream, { url, headers: { 'content-type': 'application/json', ...headers }, body, signal: call.signal, timeouts: this.settings.timeouts, provider: this.settings.name }, mapError);
          return vertexEmbeddingVectors(answer, batch.length, this.settings.name);
        }),
      );
      for (const answer of answers) {
        vectors.push(...answer.vectors);
        tokens = tokens === undefined || answer.tokens === undefined ? undefined : tokens + answer.tokens;
      }
    }
    return { kind: 'response', response: toEmbeddingResponse(normaliseShortenedEmbeddings(vectors, request), texts, tokens, request) };
  }
}
