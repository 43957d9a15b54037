/**
 * What a Bedrock model takes through Converse, read from its id (a model id, an inference profile
 * such as `us.anthropic.claude-…`, or an ARN naming one). Converse refuses a request using a
 * feature the model lacks with a 400, so the request is shaped to fit. An id that names no known
 * family (an application inference profile ARN) gets the choices that work on every model.
 * Sources: AWS's "Supported models and model features" table (Converse), ToolChoice and
 * ToolResultBlock in the Bedrock API reference.
 */

/** Anthropic's Claude on Bedrock: a model id, inference profile or ARN naming anthropic.claude. */
export function isClaude(model: string): boolean {
  return /anthropic\.claude/i.test(model);
}

/** Claude 2.x and Claude Instant: no tool use at all on Converse. */
function isClaudeBeforeThree(model: string): boolean {
  return /anthropic\.claude-(v\d|instant|2)/i.test(model);
}

/** Amazon Nova (Micro, Lite, Pro, Premier, Nova 2): a model id, inference profile or ARN naming amazon.nova. */
export function isNova(model: string): boolean {
  return /amazon\.nova/i.test(model);
}

/**
 * True for models that take `toolChoice.tool` and `toolChoice.any` (a forced tool): Claude 3 and
 * later, and Amazon Nova. Others refuse `tool` ("This model doesn't support the
 * toolConfig.toolChoice.tool field"), and `any` too except Mistral Large.
 */
export function takesForcedToolChoice(model: string): boolean {
  return (isClaude(model) && !isClaudeBeforeThree(model)) || isNova(model);
}

/** True for models that read a toolResult's `status` (success / error): Claude 3 and later, and Amazon Nova. */
export function takesToolResultStatus(model: string): boolean {
  return takesForcedToolChoice(model);
}

/**
 * Models Converse sends no system prompt to ("This model doesn't support system messages"): Amazon
 * Titan Text, Mistral 7B Instruct and Mixtral 8x7B Instruct, Cohere Command (Light) and AI21
 * Jurassic-2. Their system text goes into the first user turn instead.
 */
const withoutSystemPrompts = /amazon\.titan-text|mistral\.mistral-7b-instruct|mistral\.mixtral-8x7b-instruct|cohere\.command-(light-)?text|ai21\.j2/i;

/** True unless the model is one that refuses Converse's `system` field. */
export function takesSystemPrompts(model: string): boolean {
  return !withoutSystemPrompts.test(model);
}

/**
 * Models whose row in the table says "Streaming tool use: No" (Meta Llama, Mistral AI, Writer
 * Palmyra): ConverseStream with a toolConfig answers 400 "This model doesn't support tool use in
 * streaming mode", while Converse takes the same tools. A streamed call with tools goes to
 * Converse for them and the answer is replayed as a stream (converse-answer-as-stream.ts).
 */
const withoutStreamingToolUse = /meta\.llama|mistral\.|writer\.palmyra/i;

/** False for models that take tools only through Converse, not ConverseStream. */
export function streamsToolUse(model: string): boolean {
  return !withoutStreamingToolUse.test(model);
}

/**
 * The model families the table has rows for. The refusals below apply only to ids naming one: an
 * id naming none (an application inference profile ARN, a model newer than this list) goes as
 * asked, and Bedrock answers for itself.
 */
const familiesInTheTable = /anthropic\.claude|amazon\.(nova|titan-text)|meta\.llama|mistral\.|cohere\.command|ai21\.|deepseek\.r1|writer\.palmyra/i;

/**
 * "Tool use: No" in the table: Amazon Titan Text, Claude 2.x and Instant, Cohere Command (Light),
 * AI21 Jurassic-2 and Jamba-Instruct, Meta Llama 2, Llama 3 (8B, 70B) and Llama 3.2 1B and 3B,
 * Mistral 7B Instruct and Mixtral 8x7B Instruct, DeepSeek-R1. Converse answers "This model doesn't
 * support tool use."
 */
const withoutToolUse = /amazon\.titan-text|anthropic\.claude-(v\d|instant|2)|cohere\.command-(light-)?text|ai21\.(j2|jamba-instruct)|meta\.llama(2|3-(8|70)b|3-2-(1|3)b)|mistral\.(mistral-7b-instruct|mixtral-8x7b-instruct)|deepseek\.r1/i;

/**
 * "Vision: No" in the table (the rest of each family's rows take images): Nova Micro, Titan
 * Text, Claude 2.x and Instant, Claude 3.5 Haiku, Cohere Command, AI21, Meta Llama 2, 3, 3.1, 3.2
 * 1B/3B and 3.3, Mistral 7B, Mixtral, Mistral Large (24.02), Large 2 (24.07) and Small (24.02),
 * DeepSeek-R1, Writer Palmyra.
 * Converse answers "This model doesn't support the image content block that you provided."
 */
const withoutVision = /amazon\.(nova-micro|titan-text)|anthropic\.claude-(v\d|instant|2|3-5-haiku)|cohere\.command|ai21\.|meta\.llama(2|3-(8|70)b|3-1|3-2-(1|3)b|3-3)|mistral\.(mistral-7b|mixtral|mistral-large-(2402|2407)|mistral-small-2402)|deepseek\.r1|writer\.palmyra/i;

/**
 * "Document chat: No" in the table: Amazon Nova Micro, Titan Text Premier, AI21 Jurassic-2 and
 * Jamba-Instruct, Cohere Command Light. Converse refuses a document block for them.
 */
const withoutDocumentChat = /amazon\.(nova-micro|titan-text-premier)|ai21\.(j2|jamba-instruct)|cohere\.command-light/i;

/** What a model the table covers is known to lack; every feature false for an id naming no known family. */
export interface MissingFeatures {
  toolUse: boolean;
  vision: boolean;
  /** Document blocks (an OpenAI file part): "Document chat" in the table. */
  documents: boolean;
  /** `toolChoice.any` (tool_choice required): only Claude 3 and later, Nova and Mistral Large take it (ToolChoice reference; Pixtral Large, a Mistral Large, is given the benefit of the doubt). */
  toolChoiceAny: boolean;
  /** `toolChoice.tool` (a named tool_choice): only Claude 3 and later and Nova take it. */
  toolChoiceTool: boolean;
}

const nothingMissing: MissingFeatures = { toolUse: false, vision: false, documents: false, toolChoiceAny: false, toolChoiceTool: false };

/** The features of AWS's table the model lacks, so a request using one is refused before any call (convert-to-bedrock-request.ts). */
export function missingFeaturesOf(model: string): MissingFeatures {
  if (!familiesInTheTable.test(model)) return nothingMissing;
  const forced = takesForcedToolChoice(model);
  return {
    toolUse: withoutToolUse.test(model),
    vision: withoutVision.test(model),
    documents: withoutDocumentChat.test(model),
    toolChoiceAny: !forced && !/mistral\.(mistral|pixtral)-large/i.test(model),
    toolChoiceTool: !forced,
  };
}

/**
 * An ARN whose id names no model (an application inference profile, a provisioned or custom
 * model): which model it runs cannot be read from it.
 */
const namesNoModel = /:(application-inference-profile|provisioned-model|custom-model|custom-model-deployment|imported-model)\//i;

/**
 * True for models that take Converse's cachePoint blocks (prompt caching): AWS lists Claude and
 * Amazon Nova only ("Supported models, Regions, and limits" in the prompt-caching guide). Bedrock
 * refuses a cachePoint for any other model ("You invoked an unsupported model or your request did
 * not allow prompt caching"), so a client's cache hints (Anthropic's cache_control, on by default
 * in Claude Code and the Anthropic SDKs) are left out there: they are hints, which Anthropic's
 * own API also ignores where they cannot apply. An id naming no model keeps them (Bedrock answers
 * for itself; an application inference profile most often runs Claude).
 */
export function takesCachePoints(model: string): boolean {
  return isClaude(model) || isNova(model) || namesNoModel.test(model);
}

/**
 * True for models whose tool definitions can be cached: the prompt-caching guide gives Nova's
 * cacheable fields as system and messages only, Claude's as system, messages and tools.
 */
export function cachesTools(model: string): boolean {
  return takesCachePoints(model) && !isNova(model);
}

