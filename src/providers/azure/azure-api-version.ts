import { azureV1ApiVersion } from './azure-url.ts';

/**
 * The first api-version of OpenAI's newer chat parameters, `max_completion_tokens` and
 * `stream_options` (with `include_usage`): Microsoft's API version lifecycle page lists both
 * under "Changes between 2024-09-01-preview and 2024-08-01-preview"; the first GA version with
 * them is 2024-10-21 (2024-06-01, the GA before it, refuses `stream_options` with 400
 * "Unrecognized request argument supplied").
 */
const firstVersionWithNewChatParameters = '2024-09-01';

/**
 * Whether an api-version takes `max_completion_tokens` and `stream_options`: the dated ones from
 * 2024-09-01 on, previews by their date (`2024-09-01-preview` yes, `2024-08-01-preview` no), and
 * the version-less `v1` API. A value that is not a date (a future label) counts as new.
 */
export function takesNewChatParameters(apiVersion: string): boolean {
  return apiVersion === azureV1ApiVersion || apiVersion.slice(0, 10) >= firstVersionWithNewChatParameters;
}
