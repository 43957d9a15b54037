import type { Role } from '../../canonical/chat.ts';
import type { CreateProvider } from '../provider.ts';

/**
 * What a chat request must lose or rename before an OpenAI-compatible service accepts it.
 * Only fields the service documents (or is shown) to reject with 400/422 belong here; fields a
 * service merely ignores stay, so the client's bytes can be forwarded untouched.
 */
export interface ChatQuirks {
  /** Top-level fields the service rejects; dropped. */
  drop?: readonly string[];
  /** Fields the service spells differently: OpenAI name -> service name (an explicit service field wins). */
  rename?: Readonly<Record<string, string>>;
  /** Message fields the service rejects on the given roles; dropped. */
  dropMessageFields?: ReadonlyArray<{ field: string; roles: readonly Role[] }>;
}

/** One OpenAI-compatible service: a row of the preset table. */
export interface PresetSpec {
  type: string;
  description: string;
  defaultBaseUrl: string;
  /** `<PREFIX>_API_KEY` and `<PREFIX>_BASE_URL` are read in zero-config. */
  envPrefix: string;
  /** False for local servers, whose key is optional. */
  requiresApiKey: boolean;
  chatQuirks?: ChatQuirks;
  /**
   * A service that differs from OpenAI in more than fields to drop (Mistral: answers to fix, ids to
   * map) has an adapter folder of its own; this imports it, in place of PresetProvider.
   */
  implementation?: () => Promise<CreateProvider>;
  /**
   * The service ends every stream with a usage chunk whether or not `stream_options.include_usage`
   * asks for it (OpenRouter: the parameter is deprecated and has no effect). The gateway then does
   * not ask for it and leaves the chunk in the client's stream, as the service itself would.
   */
  reportsStreamUsage?: boolean;
  /** Provider options that become request headers: option name -> header name(s). */
  optionHeaders?: Readonly<Record<string, string | readonly string[]>>;
  /** Where the base URL, env name and quirks were checked. */
  docs: string;
}
