import type { Logger } from 'pino';
import { stripCanonicalExtensions } from '../openai/strip-canonical-extensions.ts';
import type { ChatRequest } from '../../canonical/chat.ts';
import { OpenAIProvider } from '../openai/openai-provider.ts';
import type { ProviderCall, ProviderDependencies, ProviderSettings } from '../provider.ts';
import { applyChatQuirks } from './apply-chat-quirks.ts';
import type { PresetSpec } from './preset-spec.ts';

/** Request headers from provider options (e.g. OpenRouter's attribution headers). */
export function optionHeadersOf(spec: PresetSpec, options: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [option, names] of Object.entries(spec.optionHeaders ?? {})) {
    const value = options[option];
    if (typeof value !== 'string' || value === '') continue;
    for (const name of typeof names === 'string' ? [names] : names) headers[name] = value;
  }
  return headers;
}

/**
 * An OpenAI-compatible service from the preset table: OpenAI's passthrough with the service's
 * base URL, plus its chat quirks. A request the quirks change is re-serialized; any other is
 * forwarded as the client's own bytes.
 */
export class PresetProvider extends OpenAIProvider {
  /**
   * The top-level fields the quirks drop are parameters the service cannot honour: a request that
   * sets one gets the gateway's warning, or 400 unsupported_parameter under strict_params
   * (pipeline/check-parameters.ts), as from any translated provider. Message fields stay quiet drops.
   */
  readonly droppedParameters?: ReadonlySet<string>;
  readonly #spec: PresetSpec;
  readonly #logger: Logger;
  readonly #optionHeaders: Record<string, string>;

  constructor(spec: PresetSpec, settings: ProviderSettings, dependencies: ProviderDependencies) {
    super(settings, dependencies);
    this.#spec = spec;
    this.#logger = dependencies.logger;
    this.#optionHeaders = optionHeadersOf(spec, settings.options);
    const dropped = spec.chatQuirks?.drop ?? [];
    if (dropped.length > 0) this.droppedParameters = new Set(dropped);
  }

  protected override headersFor(call: ProviderCall): Record<string, string> {
    // Configured headers still win over option-derived ones.
    return { ...this.#optionHeaders, ...super.headersFor(call) };
  }

  protected override get asksForStreamUsage(): boolean {
    return this.#spec.reportsStreamUsage !== true && super.asksForStreamUsage;
  }

  protected override bodyFor(call: ProviderCall): string | Buffer {
    const quirks = this.#spec.chatQuirks;
    if (call.operation !== 'chat' || !quirks) return super.bodyFor(call);
    const canonical = call.clientFormat === 'openai' ? (call.request as ChatRequest) : stripCanonicalExtensions(call.request as ChatRequest, this.sendsReasoningContent);
    const { request, changes } = applyChatQuirks(canonical, quirks);
    if (changes.length === 0) return super.bodyFor(call);
    this.#logger.debug({ requestId: call.requestId, provider: this.settings.name, changes }, 'adjusted request fields the provider rejects');
    return JSON.stringify(request);
  }
}
