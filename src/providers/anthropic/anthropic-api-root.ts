/**
 * The Messages API's root from a base URL: ANTHROPIC_BASE_URL is a host, as in Anthropic's SDKs
 * (they add /v1/messages). A base that already ends in /v1, as curl examples and OpenAI-style
 * base URLs are written, is taken as that host, not called at /v1/v1/messages (a bare 404):
 * the rule Gemini (/v1beta), Cohere (/v2), Vertex AI (/v1) and Ollama (/api) follow too.
 */
export function anthropicApiRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1`;
}
