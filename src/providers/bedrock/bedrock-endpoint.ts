import { modelPathSegment } from '../../canonical/model-name.ts';

/** The public Bedrock Runtime endpoint of a region. */
export function bedrockRuntimeUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

/** The region named in a Bedrock Runtime host (public, FIPS or VPC endpoint), so a base_url alone can sign; else undefined. */
export function regionOfEndpoint(baseUrl: string): string | undefined {
  try {
    return /(?:^|\.)bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/.exec(new URL(baseUrl).hostname)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The path of a Converse call. The model id is one path segment, percent-encoded: inference
 * profile ids and ARNs (`arn:aws:bedrock:...:inference-profile/us.anthropic...`) hold `:` and `/`.
 * `.` and `..` are refused (400 naming model): a URL resolves them away, whatever their encoding.
 */
export function conversePath(modelId: string, stream: boolean): string {
  return `/model/${modelPathSegment(modelId)}/${stream ? 'converse-stream' : 'converse'}`;
}

/** The path of an InvokeModel call (embeddings), the model id encoded as for Converse. */
export function invokePath(modelId: string): string {
  return `/model/${modelPathSegment(modelId)}/invoke`;
}
