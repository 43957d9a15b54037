import type { Operation } from '../../canonical/operation.ts';
import { errors } from '../../errors/catalogue.ts';
import { OpenAIProvider } from '../openai/openai-provider.ts';
import type { ProviderCall, ProviderDependencies, ProviderSettings } from '../provider.ts';
import { azureAuthHeader } from './azure-auth.ts';
import { parseAzureOptions, type AzureOptions } from './azure-options.ts';
import { azureEndpointMissing, azureResourceUrl, azureUrl } from './azure-url.ts';
import { takesNewChatParameters } from './azure-api-version.ts';

/**
 * Azure OpenAI's id of a call: `apim-request-id`, the one its API reference documents on answers
 * and errors ("Request ID for troubleshooting purposes"); an `x-request-id` it may also send is
 * the fallback.
 */
const azureRequestIdHeaders: readonly string[] = ['apim-request-id', 'x-request-id'];

/**
 * Azure OpenAI: OpenAI's wire format behind Azure's URLs and auth, so replies (streams and
 * error bodies, content_filter included) are OpenAI's passthrough. The client names
 * `azure/<deployment>`; the deployment, not the body's `model`, decides the model.
 */
export class AzureOpenAIProvider extends OpenAIProvider {
  /** Azure OpenAI has no moderations endpoint; the rest of OpenAI's operations are deployment paths. */
  override readonly operations: ReadonlySet<Operation> = new Set<Operation>(['chat', 'completions', 'embeddings', 'image_generations', 'image_edits', 'speech', 'transcriptions', 'translations']);
  readonly #options: AzureOptions;
  readonly #resourceUrl: string;
  /** A call without a key goes with the configured `azure_ad_token`, when there is one. */
  readonly holdsCredential: boolean;

  constructor(settings: ProviderSettings, dependencies: ProviderDependencies) {
    super(settings, dependencies);
    this.#options = parseAzureOptions(settings.name, settings.options, settings.apiKey !== undefined);
    this.holdsCredential = this.#options.adToken !== undefined;
    this.#resourceUrl = azureResourceUrl(settings.baseUrl);
    if (this.#resourceUrl === '') {
      // Zero-config may enable azure from AZURE_OPENAI_API_KEY alone; start anyway and say why calls fail.
      dependencies.logger.warn({ provider: settings.name }, 'azure provider has no endpoint: set AZURE_OPENAI_ENDPOINT or base_url');
    }
  }

  protected override urlFor(call: ProviderCall): string {
    if (this.#resourceUrl === '') {
      throw azureEndpointMissing(this.settings.name);
    }
    return azureUrl(this.#resourceUrl, call.operation, call.model, this.#options.apiVersion);
  }

  /**
   * Azure's reasoning deployments (o1, o3, gpt-5 …) refuse `max_tokens` as OpenAI's do; the
   * api-versions from 2024-09-01-preview on (and the v1 API) take `max_completion_tokens` for
   * every model, older ones do not know it.
   */
  protected override get takesMaxCompletionTokens(): boolean {
    return takesNewChatParameters(this.#options.apiVersion);
  }

  /**
   * Api-versions before 2024-09-01-preview refuse `stream_options` (400 "Unrecognized request
   * argument supplied"), so their streams do not ask for usage unless `stream_usage: true` says
   * to (AzureOptions.streamUsage); a client's own `stream_options` still goes up as sent.
   */
  protected override get asksForStreamUsage(): boolean {
    return this.#options.streamUsage;
  }

  /** Azure OpenAI serves OpenAI's chat schema, which has no `reasoning_content` on messages. */
  protected override get sendsReasoningContent(): boolean {
    return false;
  }

  protected override get upstreamRequestIdHeaders(): readonly string[] {
    return azureRequestIdHeaders;
  }

  protected override headersFor(call: ProviderCall): Record<string, string> {
    const auth = azureAuthHeader(this.#options, call.apiKey);
    if (auth === null) throw errors.missingProviderCredential(this.settings.name);
    const headers: Record<string, string> = { 'content-type': 'application/json', ...call.upstreamHeaders, ...this.settings.headers, ...auth };
    if (call.stream) headers.accept = 'text/event-stream';
    return headers;
  }
}
