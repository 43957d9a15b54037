import type { ServerResponse } from 'node:http';

/**
 * What Google's generateContent (Gemini API and Vertex AI alike) refuses among what the audit of
 * the gemini adapter found gateways sending, worded as Google's 400s, so a test that gets an answer
 * shows the request was one Google takes. Written apart from the adapter: the rules are spelled out
 * here, not taken from src/.
 */

/** Google's image types (its "supported image formats"); `image/jpg` is refused: "Unsupported MIME type: image/jpg". */
const imageTypes = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif']);

/** Gemini 3 and later take structured output together with function calling ("Structured outputs with tools"). */
const gemini3OrLater = /gemini-([3-9]|\d{2,})/;

type Part = { inlineData?: { mimeType?: string } };
type Body = {
  contents?: Array<{ parts?: Part[] }>;
  tools?: Array<{ functionDeclarations?: unknown[] }>;
  toolConfig?: { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } };
  generationConfig?: { responseMimeType?: string; responseLogprobs?: boolean; logprobs?: number };
};

/** Why Google would refuse the body sent to `path` (which names the model), or null when it would answer. */
export function googleRefusal(body: Body, path: string): string | null {
  for (const content of body.contents ?? []) {
    for (const part of content.parts ?? []) {
      const type = part.inlineData?.mimeType ?? '';
      if (type.startsWith('image/') && !imageTypes.has(type)) return `Unsupported MIME type: ${type}`;
    }
  }
  const functions = (body.tools ?? []).some((tool) => (tool.functionDeclarations ?? []).length > 0);
  const config = body.generationConfig ?? {};
  if (functions && config.responseMimeType === 'application/json' && !gemini3OrLater.test(path)) return "Function calling with a response mime type: 'application/json' is unsupported";
  const calling = body.toolConfig?.functionCallingConfig;
  if (calling?.allowedFunctionNames !== undefined && calling.mode !== 'ANY') return 'allowed_function_names may be set only when the mode is ANY';
  if (config.logprobs !== undefined && config.responseLogprobs !== true) return 'logprobs is only valid if responseLogprobs is true';
  if (config.logprobs !== undefined && (config.logprobs < 0 || config.logprobs > 20)) return 'logprobs must be in the range [0, 20]';
  return null;
}

/** Google's 400 for a refused request. */
export function writeGoogleRefusal(response: ServerResponse, message: string): void {
  response.writeHead(400, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(JSON.stringify({ error: { code: 400, message, status: 'INVALID_ARGUMENT' } }));
}
