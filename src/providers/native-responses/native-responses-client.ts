import { errors } from '../../errors/catalogue.ts';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { rewriteTopLevelModel } from '../../formats/openai/rewrite-raw-body.ts';
import type { UpstreamClient, UpstreamRequest } from '../../upstream/upstream-client.ts';
import { mapUpstreamError } from '../../upstream/upstream-client.ts';
import { readUpstreamText } from '../../upstream/read-body.ts';
import { azureAuthHeader } from '../azure/azure-auth.ts';
import { azureEndpointMissing, azureResourceUrl } from '../azure/azure-url.ts';
import { parseAzureOptions } from '../azure/azure-options.ts';
import { holdStreamStart } from '../hold-stream-start.ts';
import { mapOpenAICompatibleError, mapOpenAIStreamStartError } from '../openai-compatible-error.ts';
import { forwardedHeaders, upstreamRequestId } from '../openai/openai-provider.ts';
import { unexpectedStatus } from '../post-to-upstream.ts';
import type { PassthroughReply, Provider } from '../provider.ts';
import { withoutAccountIds, withoutSecret } from '../without-secrets.ts';
import { azureResponsesEndpoint, openAIResponsesEndpoint, type ResponsesEndpoint } from './native-responses-url.ts';
import { asOpenAIErrorObject, ResponsesStreamStartScanner } from './responses-stream-start.ts';

/** The provider types whose own API is OpenAI's Responses API: the only ones native mode goes to. */
export const nativeResponsesTypes: ReadonlySet<string> = new Set(['openai', 'azure']);

/** The most of an error body read for its message. */
const errorBodyLimit = 1024 * 1024;
const openAIRequestIdHeaders: readonly string[] = ['x-request-id', 'apim-request-id'];
const azureRequestIdHeaders: readonly string[] = ['apim-request-id', 'x-request-id'];

/** One `POST /responses` forwarded natively: the client's bytes with the target's model. */
export interface NativeResponsesCall {
  model: string;
  rawBody: Buffer;
  rawModelUnchanged: boolean;
  stream: boolean;
  apiKey: string | undefined;
  signal: AbortSignal;
  upstreamHeaders?: Readonly<Record<string, string>>;
}

/** A call to a stored response (retrieve, delete, cancel, input items) or to input_tokens. */
export interface StoredResponsesCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** What follows `/responses` in the path (`/resp_1`, `/resp_1/input_items`, `/input_tokens`). */
  suffix: string;
  /** The client's query string (input_items' `limit`, `after`, `include[]`…), without `?`. */
  query: string;
  body: Buffer | null;
  apiKey: string | undefined;
  signal: AbortSignal;
}

/** An answer read whole: status, the headers worth passing on, the body. */
export interface WholeAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * An `openai` or `azure` provider's Responses API, for requests the translation cannot carry
 * (src/formats/openai-responses/README.md, Native mode): the client's body goes up with only its
 * top-level `model` rewritten, and the answer comes back as bytes. Same credentials, headers,
 * timeouts, error mapping and request ids as the provider's own calls.
 */
export class NativeResponsesClient {
  readonly provider: Provider;
  readonly #upstream: UpstreamClient;
  readonly #endpoint: ResponsesEndpoint;
  readonly #auth: (apiKey: string | undefined) => Record<string, string>;
  readonly #idHeaders: readonly string[];

  constructor(provider: Provider, upstream: UpstreamClient) {
    this.provider = provider;
    this.#upstream = upstream;
    const settings = provider.settings;
    if (settings.type === 'azure') {
      const options = parseAzureOptions(settings.name, settings.options, settings.apiKey !== undefined);
      this.#endpoint = azureResponsesEndpoint(settings.baseUrl, options.apiVersion);
      this.#idHeaders = azureRequestIdHeaders;
      const unconfigured = azureResourceUrl(settings.baseUrl) === '';
      this.#auth = (apiKey) => {
        if (unconfigured) throw azureEndpointMissing(settings.name);
        const header = azureAuthHeader(options, apiKey);
        if (header === null) throw errors.missingProviderCredential(settings.name);
        return header;
      };
    } else {
      this.#endpoint = openAIResponsesEndpoint(settings.baseUrl);
      this.#idHeaders = openAIRequestIdHeaders;
      this.#auth = (apiKey): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {});
    }
  }

  /** POST /responses: the answer as bytes, a stream's start held until its first event shows it is no error. */
  async create(call: NativeResponsesCall): Promise<PassthroughReply> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...call.upstreamHeaders, ...this.provider.settings.headers, ...this.#auth(call.apiKey) };
    if (call.stream) headers.accept = 'text/event-stream';
    const request = this.#request({ url: this.#endpoint.url(''), headers, body: bodyWithModel(call), signal: call.signal });
    if (!call.stream) {
      const whole = await this.#whole(request, call.apiKey);
      return { kind: 'passthrough', status: whole.status, headers: whole.headers, body: whole.body, stream: false };
    }
    const response = await this.#upstream.request(request);
    if (response.status >= 400) throw this.#error(response.status, response.headers, await readUpstreamText(response, this.provider.settings.name, errorBodyLimit), call.apiKey);
    if (response.status >= 300) {
      response.body.dump().catch(() => {});
      throw unexpectedStatus(this.provider.settings.name, response.status);
    }
    const passed = forwardedHeaders(response.headers, this.#idHeaders);
    const name = this.provider.settings.name;
    const body = await holdStreamStart(response.body, new ResponsesStreamStartScanner(), (data) => this.#streamStartError(data, response.headers, call.apiKey), (error) => mapUpstreamError(error, name, call.signal));
    return { kind: 'passthrough', status: response.status, headers: passed, body, stream: true };
  }

  /** A stored response's endpoint (or input_tokens), read whole. */
  async stored(call: StoredResponsesCall): Promise<WholeAnswer> {
    const headers: Record<string, string> = { ...this.provider.settings.headers, ...this.#auth(call.apiKey) };
    if (call.body !== null) headers['content-type'] = 'application/json';
    const request = this.#request({ url: this.#endpoint.url(call.suffix, call.query), method: call.method, headers, body: call.body ?? undefined, signal: call.signal });
    return this.#whole(request, call.apiKey);
  }

  #request(fields: Omit<UpstreamRequest, 'timeouts' | 'provider'>): UpstreamRequest {
    return { ...fields, timeouts: this.provider.settings.timeouts, provider: this.provider.settings.name };
  }

  async #whole(request: UpstreamRequest, apiKey: string | undefined): Promise<WholeAnswer> {
    const whole = await this.#upstream.requestWhole(request);
    if (whole.status >= 400) throw this.#error(whole.status, whole.headers, whole.body.toString('utf8', 0, errorBodyLimit), apiKey);
    if (whole.status >= 300) throw unexpectedStatus(this.provider.settings.name, whole.status);
    return { status: whole.status, headers: forwardedHeaders(whole.headers, this.#idHeaders), body: whole.body };
  }

  /** An error answer as a GatewayError, the key and account ids scrubbed, with the provider's request id. */
  #error(status: number, headers: Record<string, string | string[] | undefined>, text: string, apiKey: string | undefined): GatewayError {
    const error = mapOpenAICompatibleError(this.provider.settings.name, status, headers, withoutAccountIds(withoutSecret(text, apiKey)));
    return this.#withRequestId(error, headers);
  }

  #streamStartError(data: string, headers: Record<string, string | string[] | undefined>, apiKey: string | undefined): GatewayError {
    let error: GatewayError | null = null;
    try {
      error = mapOpenAIStreamStartError(asOpenAIErrorObject(withoutAccountIds(withoutSecret(data, apiKey))));
    } catch {
      // The scanner reports only events that parse; one that no longer does once scrubbed is still a failure.
    }
    return this.#withRequestId(error ?? errors.upstreamStreamError(null, null), headers);
  }

  #withRequestId(error: GatewayError, headers: Record<string, string | string[] | undefined>): GatewayError {
    const upstreamId = upstreamRequestId(headers, this.#idHeaders);
    if (upstreamId !== undefined) error.headers['x-upstream-request-id'] = upstreamId;
    return error;
  }
}

/** The client's bytes with the target's model: only that value changes (rewriteTopLevelModel), else the body re-encoded with it. */
export function bodyWithModel(call: Pick<NativeResponsesCall, 'rawBody' | 'model' | 'rawModelUnchanged'>): Buffer | string {
  if (call.rawModelUnchanged) return call.rawBody;
  const rewritten = rewriteTopLevelModel(call.rawBody, call.model);
  if (rewritten !== null) return rewritten;
  return JSON.stringify({ ...(JSON.parse(call.rawBody.toString('utf8')) as Record<string, unknown>), model: call.model });
}

/**
 * The native Responses clients of one configuration (Runtime): one per `openai` or `azure`
 * provider, made on first use; null for every other provider type.
 */
export class NativeResponsesClients {
  readonly #upstream: UpstreamClient;
  readonly #providers: ReadonlyMap<string, Provider>;
  readonly #clients = new WeakMap<Provider, NativeResponsesClient>();

  constructor(upstream: UpstreamClient, providers: ReadonlyMap<string, Provider> = new Map()) {
    this.#upstream = upstream;
    this.#providers = providers;
  }

  /** Every openai and azure provider of the configuration, by name (the stored-response endpoints pick among them). */
  all(): NativeResponsesClient[] {
    const clients: NativeResponsesClient[] = [];
    for (const provider of this.#providers.values()) {
      const client = this.for(provider);
      if (client !== null) clients.push(client);
    }
    return clients;
  }

  for(provider: Provider): NativeResponsesClient | null {
    if (!nativeResponsesTypes.has(provider.settings.type)) return null;
    let client = this.#clients.get(provider);
    if (client === undefined) {
      client = new NativeResponsesClient(provider, this.#upstream);
      this.#clients.set(provider, client);
    }
    return client;
  }
}
