/**
 * Chat parameters only OpenAI's own API serves (web search, verbosity, stored completions,
 * predicted outputs, safety_identifier): a translated provider has nothing for them, so each lists
 * them among its droppedParameters (warned about, or refused under strict_params; a `false` or
 * null value is no request).
 */
export const openAIOnlyParameters: readonly string[] = ['web_search_options', 'verbosity', 'store', 'prediction', 'safety_identifier'];
