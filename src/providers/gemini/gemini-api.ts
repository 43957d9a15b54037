/**
 * Wire types of the Gemini API (Google AI Studio / Generative Language API, v1beta), only the
 * fields the adapter reads or writes. Field names are Google's JSON (camelCase) names.
 */

export interface GeminiInlineData { mimeType: string; data: string }
export interface GeminiFileData { mimeType?: string; fileUri: string }
export interface GeminiFunctionCall { id?: string; name: string; args?: Record<string, unknown> }
export interface GeminiFunctionResponse { id?: string; name: string; response: Record<string, unknown> }

/** One part of a turn: exactly one of the data fields is set. */
export interface GeminiPart {
  text?: string;
  /** True on a thought summary (the model's reasoning), not on the answer. */
  thought?: boolean;
  /** Opaque signature of the model's reasoning; must go back with function calls (Gemini 3). */
  thoughtSignature?: string;
  inlineData?: GeminiInlineData;
  fileData?: GeminiFileData;
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
  [extra: string]: unknown;
}

export interface GeminiContent {
  role?: 'user' | 'model';
  parts: GeminiPart[];
}

/**
 * A JSON Schema as `parametersJsonSchema` and `responseJsonSchema` take it (Gemini API v1beta and
 * Vertex AI v1): plain JSON Schema, of which Google applies a documented subset and ignores the rest.
 */
export type GeminiJsonSchema = Record<string, unknown>;

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** The parameters as JSON Schema (the OpenAPI-subset `parameters` field is not used). */
  parametersJsonSchema?: GeminiJsonSchema;
}

export interface GeminiTool { functionDeclarations: GeminiFunctionDeclaration[] }

export interface GeminiToolConfig {
  functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] };
}

export interface GeminiThinkingConfig {
  includeThoughts?: boolean;
  thinkingBudget?: number;
  thinkingLevel?: string;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  candidateCount?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  /** The answer's JSON Schema (the OpenAPI-subset `responseSchema` field is not used). */
  responseJsonSchema?: GeminiJsonSchema;
  responseLogprobs?: boolean;
  logprobs?: number;
  thinkingConfig?: GeminiThinkingConfig;
}

export interface GeminiGenerateContentRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  safetySettings?: unknown[];
}

/** One token of a logprobsResult; proto JSON leaves out a logProbability of 0 (a sure token). */
export interface GeminiLogprobsCandidate { token?: string; tokenId?: number; logProbability?: number }

/** Token log probabilities of a candidate (or, streamed, of the event's part of it): one entry per decoding step. */
export interface GeminiLogprobsResult {
  /** The token chosen at each step. */
  chosenCandidates?: GeminiLogprobsCandidate[];
  /** The most likely tokens at each step (generationConfig.logprobs of them), most likely first. */
  topCandidates?: Array<{ candidates?: GeminiLogprobsCandidate[] }>;
  logProbabilitySum?: number;
}

export interface GeminiCandidate {
  content?: { role?: string; parts?: GeminiPart[] };
  finishReason?: string;
  finishMessage?: string;
  index?: number;
  safetyRatings?: unknown[];
  /** Present when generationConfig.responseLogprobs was set. */
  logprobsResult?: GeminiLogprobsResult;
  avgLogprobs?: number;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  totalTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

export interface GeminiPromptFeedback {
  blockReason?: string;
  blockReasonMessage?: string;
  safetyRatings?: unknown[];
}

/** The answer of :generateContent, and each `data:` event of :streamGenerateContent?alt=sse. */
export interface GeminiGenerateContentResponse {
  candidates?: GeminiCandidate[];
  promptFeedback?: GeminiPromptFeedback;
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

export interface GeminiEmbedContentRequest {
  model: string;
  content: GeminiContent;
  taskType?: string;
  outputDimensionality?: number;
}

export interface GeminiEmbedContentResponse { embedding?: { values?: number[] } }
export interface GeminiBatchEmbedContentsResponse { embeddings?: Array<{ values?: number[] }> }

/** Google's error body: {"error":{"code","message","status","details"}}. */
export interface GeminiErrorBody {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: Array<{ '@type'?: string; reason?: string; retryDelay?: string; [extra: string]: unknown }>;
  };
}
