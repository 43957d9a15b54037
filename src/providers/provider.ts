import type { IncomingHttpHeaders } from 'node:http';
import type { UpstreamBody } from '../upstream/upstream-body.ts';
import type { Logger } from 'pino';
import type { Usage } from '../canonical/chat.ts';
import type { CanonicalChunk, CanonicalResponse, Operation, OperationRequest } from '../canonical/operation.ts';
import type { UpstreamClient, UpstreamTimeouts } from '../upstream/upstream-client.ts';

/** The client-facing API a request arrived in ('openai-responses': OpenAI's Responses API, never a provider's native format). */
export type ClientFormat = 'openai' | 'anthropic' | 'openai-responses';

/** A provider's settings after config, zero-config env and defaults are merged. */
export interface ProviderSettings {
  /** The name clients use in `name/model`. */
  name: string;
  type: string;
  /** The credential; undefined when none is configured. Never log it. */
  apiKey: string | undefined;
  baseUrl: string;
  models: string[];
  byok: boolean;
  headers: Record<string, string>;
  timeouts: UpstreamTimeouts;
  options: Record<string, unknown>;
  /** Refuse (400) instead of dropping parameters the provider cannot honour. */
  strictParams: boolean;
  /**
   * True when zero-config enabled the provider from the environment (no `providers:` entry): an
   * adapter may then start with a warning where a configured entry would be a ConfigError (Vertex:
   * a GOOGLE_APPLICATION_CREDENTIALS file set for another tool, of a type it cannot use).
   */
  fromEnvironment?: boolean;
}

/** One call to a provider: the canonical request with the provider's own model name in it. */
export interface ProviderCall<O extends Operation = Operation> {
  operation: O;
  /** The provider's model name (already written into `request.model`). */
  model: string;
  request: OperationRequest[O];
  /**
   * The client's exact body bytes when nothing changed them except possibly the model name;
   * `rawModelUnchanged` says whether the model name is still the one in these bytes.
   */
  rawBody: Buffer | null;
  rawModelUnchanged: boolean;
  stream: boolean;
  /** The credential to use: the configured key, or the client's own under BYOK. */
  apiKey: string | undefined;
  signal: AbortSignal;
  requestId: string;
  clientFormat: ClientFormat;
  /** The client's request headers, for the few a provider passes on (Anthropic's `anthropic-beta`); absent in unit tests. */
  clientHeaders?: IncomingHttpHeaders;
  /** Headers plugins add to this attempt (tracing's `traceparent`), under the provider's own and the configured ones. */
  upstreamHeaders?: Readonly<Record<string, string>>;
  /**
   * Told each usage the provider reports in a stream (Anthropic's message_start, Gemini's
   * usageMetadata), from before the reply is returned: a stream cut after that report but before
   * its first content fails the attempt (and is retried), yet the provider billed what it reported.
   */
  onReportedUsage?: (usage: Usage) => void;
}

/** The upstream answered in the client's own format: its bytes are forwarded as they arrive. */
export interface PassthroughReply {
  kind: 'passthrough';
  status: number;
  /** Response headers worth passing on (content-type, provider rate-limit headers, ...). */
  headers: Record<string, string>;
  /** The body as it arrives, or already read whole (a call that was not streamed). */
  body: UpstreamBody | Buffer;
  stream: boolean;
  /** The gateway asked for a usage chunk the client did not: drop it from the forwarded stream. */
  dropUsageChunk?: boolean;
}

/** A translated, complete response in the canonical model. */
export interface ResponseReply {
  kind: 'response';
  response: CanonicalResponse;
  headers?: Record<string, string>;
}

/** A translated stream of canonical chunks. */
export interface StreamReply {
  kind: 'stream';
  chunks: AsyncIterable<CanonicalChunk>;
  headers?: Record<string, string>;
  /**
   * The usage the provider has reported so far, for providers that report the input side early
   * (Anthropic's message_start, Gemini's usageMetadata on each event): what a stream that ends
   * without its usage chunk (the client left, the provider cut it) is recorded from.
   */
  reportedUsage?: () => Usage | null;
}

export type ProviderReply = PassthroughReply | ResponseReply | StreamReply;

/** A provider instance made from settings; failures are thrown as GatewayError. */
export interface Provider {
  readonly settings: ProviderSettings;
  /** The client format this provider speaks natively (passthrough is possible), or null. */
  readonly nativeFormat: ClientFormat | null;
  readonly operations: ReadonlySet<Operation>;
  /**
   * Top-level chat parameters this provider cannot honour and leaves out (a translated provider's,
   * or those a preset's quirks drop). The gateway logs a warning when a request sets one, or
   * refuses it with 400 under `strict_params`.
   */
  readonly droppedParameters?: ReadonlySet<string>;
  /**
   * True when a call without `api_key` still goes with a credential the gateway holds for the
   * provider (Bedrock's AWS access keys, Vertex's Google credential file, Azure's
   * `azure_ad_token`), so a 401 to it is the operator's to fix, as for a configured key.
   */
  readonly holdsCredential?: boolean;
  send(call: ProviderCall): Promise<ProviderReply>;
}

export interface ProviderDependencies {
  upstream: UpstreamClient;
  logger: Logger;
}

/** Makes a provider instance from its settings: what a provider's adapter module provides. */
export type CreateProvider = (settings: ProviderSettings, dependencies: ProviderDependencies) => Provider;

/**
 * A provider type (adapter or preset) the gateway knows. What building the providers from a config
 * needs (type, endpoint, env names) is imported at start for every type; the adapter's code only
 * when a config uses the type: `load()` imports it, and the gateway awaits that
 * (src/gateway/load-implementations.ts) before it builds a Runtime. Made with defineProvider
 * (define-provider.ts).
 */
export interface ProviderDefinition {
  type: string;
  /** One line for `GET /v1/models` owners and the README. */
  description: string;
  defaultBaseUrl: string;
  /** Environment variables following the provider SDK's own convention. */
  env: {
    apiKey?: string;
    baseUrl?: string;
    /**
     * Options read from the environment when the config entry does not set them (option -> variable,
     * or variables in order, the first that is set winning: Vertex's location is GOOGLE_CLOUD_LOCATION, else CLOUD_ML_REGION).
     */
    options?: Record<string, string | readonly string[]>;
    /** Variables the API key is read from when `apiKey`'s is unset, in order (Cohere: COHERE_API_KEY beside its SDK's CO_API_KEY). */
    apiKeyAlternatives?: string[];
    /** Other variables whose presence enables the type with no config, like the API key's (Bedrock: AWS_ACCESS_KEY_ID). */
    enabledBy?: string[];
  };
  /** True when calls need a credential (all hosted services). */
  requiresApiKey: boolean;
  /** No endpoint can be assumed (`defaultBaseUrl` is empty): an entry of this type without base_url is a config problem. */
  requiresBaseUrl?: boolean;
  /** The base URL variable may name a host without a scheme (OLLAMA_HOST, as Ollama's CLI reads it): the adapter adds one. */
  baseUrlMayOmitScheme?: boolean;
  /**
   * The `options:` this type reads; any other in a config entry is a config problem (a typo would
   * otherwise do nothing). Undefined for types whose adapter validates its options itself with a
   * strict schema (azure, bedrock, vertex).
   */
  optionNames?: readonly string[];
  /** Enabled with no config and no key (only the echo test provider). */
  alwaysEnabled?: boolean;
  /** Imports the adapter; once it resolves, `create` works. Calls after the first share its import. */
  load(): Promise<void>;
  /** Makes an instance; throws ImplementationNotLoadedError until `load()` has resolved. */
  create(settings: ProviderSettings, dependencies: ProviderDependencies): Provider;
}
