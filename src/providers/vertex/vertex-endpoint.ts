/** Who publishes a model on Vertex AI, which decides its methods and wire format. */
export type VertexPublisher = 'google' | 'anthropic';

/**
 * The Vertex AI origin of a location: `global` is served by aiplatform.googleapis.com, the `us`
 * and `eu` multi-regions by aiplatform.{us,eu}.rep.googleapis.com, a region by
 * {region}-aiplatform.googleapis.com (as Google's and Anthropic's SDKs build it).
 */
export function vertexBaseUrl(location: string): string {
  if (location === 'global') return 'https://aiplatform.googleapis.com';
  if (location === 'us' || location === 'eu') return `https://aiplatform.${location}.rep.googleapis.com`;
  return `https://${location}-aiplatform.googleapis.com`;
}

/** The API root: a base_url is a host (`/v1` is added); a base that already names a version (`/v1`, `/v1beta1`) is used as is. */
export function vertexApiRoot(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return /\/v1(beta1)?$/.test(base) ? base : `${base}/v1`;
}

/** Claude models are Anthropic's (`claude-sonnet-4-5@20250929`); every other name is Google's (Gemini, text-embedding). */
export function publisherOf(model: string): VertexPublisher {
  return /claude/i.test(model) ? 'anthropic' : 'google';
}

/** One path segment, escaped but for `@` and `:`, which a path segment may hold and Google's SDKs send as they are. */
function pathSegment(value: string): string {
  return encodeURIComponent(value).replaceAll('%40', '@').replaceAll('%3A', ':');
}

/**
 * `https://{host}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}`,
 * to which the method (`:generateContent`, `:rawPredict`, ...) is appended. The model is one path
 * segment, its `@version` kept; a domain-scoped project (`example.com:my-project`) keeps its colon.
 */
export function vertexModelUrl(apiRoot: string, project: string, location: string, publisher: VertexPublisher, model: string): string {
  return `${apiRoot}/projects/${pathSegment(project)}/locations/${pathSegment(location)}/publishers/${publisher}/models/${pathSegment(model)}`;
}
