import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../../helpers/stand-in-server.ts';
import type { Reply } from '../../helpers/provider-replies.ts';

/**
 * A Converse stand-in that refuses what Bedrock refuses, per model, with Bedrock's 400
 * ValidationException: the rules the Bedrock audit found the gateway breaking, from AWS's Converse
 * API reference (ToolChoice, ToolUseBlock, ToolResultBlock, ContentBlock) and the "Supported
 * models and model features" table. A test that gets an answer shows the request was one Converse
 * takes. Written apart from the adapter: the model rules are spelled out here, not taken from src/.
 */

/** `toolChoice.tool`: "Only supported by Anthropic Claude 3 and Amazon Nova models". */
const forcedToolModels = /anthropic\.claude-(3|sonnet|opus|haiku)|amazon\.nova/;
/** `toolChoice.any`: Claude 3 and later, Nova, and Mistral Large. */
const anyToolModels = /anthropic\.claude-(3|sonnet|opus|haiku)|amazon\.nova|mistral\.mistral-large/;
/** System prompts: "No" for Amazon Titan models, Mistral 7B and Mixtral 8x7B Instruct. */
const noSystemModels = /amazon\.titan-text|mistral\.mistral-7b-instruct|mistral\.mixtral-8x7b-instruct/;
/** Tool use: "No" for Titan text models, Meta Llama 3 (8B, 70B) and Llama 3.2 1B/3B, Mistral 7B and Mixtral Instruct (the table's rows). */
const noToolModels = /amazon\.titan-text|meta\.llama3-(8b|70b|2-1b|2-3b)-|mistral\.mistral-7b-instruct|mistral\.mixtral-8x7b-instruct/;
/** Streaming tool use: "No" for Meta Llama 3.1 and later and Mistral Large (ConverseStream refuses a toolConfig; Converse takes it). */
const noStreamingToolModels = /meta\.llama|mistral\./;
/** Vision: "No" for Nova Micro, Titan, Meta Llama 3, 3.1 and 3.3, Mistral 7B, Mixtral and Mistral Large. */
const noVisionModels = /amazon\.(nova-micro|titan-text)|meta\.llama3-(8b|70b|1-|3-)|mistral\.(mistral-7b|mixtral|mistral-large)/;
/** `toolResult.status`: "only supported by Amazon Nova and Anthropic Claude 3 and 4 models". */
const statusModels = forcedToolModels;
const toolUseIdPattern = /^[a-zA-Z0-9_-]{1,64}$/;
/** Prompt caching (cachePoint blocks): Claude and Amazon Nova only (AWS's prompt-caching guide, "Supported models, Regions, and limits"). */
const cachingModels = /anthropic\.claude|amazon\.nova/;
/** `reasoningConfig` in additionalModelRequestFields: Nova 2 Lite only ("Nova 2 Lite and Sonic only" in AWS's Nova 2 request schema). */
const reasoningConfigModels = /amazon\.nova-2-lite/;
/** Claude models that take temperature or top_p but not both (as on Anthropic's API: Opus 4.1, the 4.5 and 4.6 models). */
const oneSamplerModels = /anthropic\.claude-(opus-4-[156]|sonnet-4-[56]|haiku-4-5)(?!\d)/;

type Block = Record<string, unknown> & { text?: unknown; toolUse?: { toolUseId?: string }; toolResult?: { toolUseId?: string; status?: string } };
type Body = {
  messages?: Array<{ role: string; content: Block[] }>;
  system?: Block[];
  inferenceConfig?: { maxTokens?: number; stopSequences?: string[]; temperature?: number; topP?: number };
  toolConfig?: { tools?: unknown[]; toolChoice?: { tool?: unknown; any?: unknown; auto?: unknown } };
  additionalModelRequestFields?: { thinking?: { type?: string; budget_tokens?: number }; reasoningConfig?: { type?: string; maxReasoningEffort?: string }; inferenceConfig?: { topK?: number }; reasoning_effort?: string };
};

/** The model id of a Converse request path (`/model/{id}/converse`), decoded. */
export function modelOfPath(path: string): string {
  return decodeURIComponent(path.split('/')[2] ?? '');
}

/** Why Bedrock would refuse the body for this model, or null when it would answer; `streamed` for /converse-stream. */
export function converseRefusal(model: string, body: Body, streamed = false): string | null {
  const maxTokens = body.inferenceConfig?.maxTokens;
  // InferenceConfiguration.maxTokens: "Valid Range: Minimum value of 1".
  if (maxTokens !== undefined && maxTokens < 1) return `1 validation error detected: Value '${maxTokens}' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1`;
  const messages = body.messages ?? [];
  if (messages.length === 0) return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  if (messages[0].role !== 'user') return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  for (const [index, message] of messages.entries()) {
    if (index > 0 && messages[index - 1].role === message.role) return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    for (const [position, block] of message.content.entries()) {
      if (typeof block.text === 'string' && block.text.trim() === '') return `The text field in the ContentBlock object at messages.${index}.content.${position} is blank. Add text to the text field, and try again.`;
      const id = block.toolUse?.toolUseId ?? block.toolResult?.toolUseId;
      if (id !== undefined && !toolUseIdPattern.test(id)) return `1 validation error detected: Value '${id}' at 'messages.${index + 1}.member.content.${position + 1}.member.toolUse.toolUseId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+`;
      if (block.image !== undefined && noVisionModels.test(model)) return "This model doesn't support the image content block that you provided. Try again with a different input.";
      if (block.toolResult?.status !== undefined && !statusModels.test(model)) return "This model doesn't support the toolResult.status field. Remove toolResult.status and try again.";
    }
  }
  // CachePointBlock: `type` (valid values: default), optional `ttl` (valid values: 5m | 1h).
  for (const block of [...(body.system ?? []), ...(body.toolConfig?.tools ?? []), ...messages.flatMap((message) => message.content)] as Block[]) {
    const cachePoint = block.cachePoint as Record<string, unknown> | undefined;
    if (cachePoint === undefined) continue;
    const unknownField = Object.keys(cachePoint).find((key) => key !== 'type' && key !== 'ttl');
    if (cachePoint.type !== 'default' || unknownField !== undefined || (cachePoint.ttl !== undefined && cachePoint.ttl !== '5m' && cachePoint.ttl !== '1h')) {
      return `1 validation error detected: Value '${JSON.stringify(cachePoint)}' at 'cachePoint' failed to satisfy constraint: Member must satisfy enum value set: [default] with an optional ttl in [5m, 1h]`;
    }
  }
  // Public reports (litellm, zeroclaw, apex) quote this refusal for Llama, DeepSeek-R1, Qwen and Nemotron.
  const cachePoints = [...(body.system ?? []), ...(body.toolConfig?.tools ?? []), ...messages.flatMap((message) => message.content)].filter((block) => (block as Block).cachePoint !== undefined);
  // An application inference profile stands here for one that runs Claude.
  if (cachePoints.length > 0 && !cachingModels.test(model) && !/application-inference-profile\//.test(model)) return 'You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information.';
  const reasoningConfig = body.additionalModelRequestFields?.reasoningConfig;
  if (reasoningConfig !== undefined) {
    // Reported for Nova Pro (inspect_ai #5301): the field is refused on a Nova model without extended thinking.
    if (!reasoningConfigModels.test(model)) return 'The model returned the following errors: Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.';
    if (reasoningConfig.type !== 'enabled' || !['low', 'medium', 'high'].includes(String(reasoningConfig.maxReasoningEffort))) return 'The model returned the following errors: Malformed input request: the provided reasoning config value is invalid, please reformat your input and try again.';
    // "Temperature, topP and topK cannot be used with maxReasoningEffort set to high" (AWS's Nova 2 samples; the wording of the refusal is the stand-in's).
    const sampled = body.inferenceConfig?.temperature !== undefined || body.inferenceConfig?.topP !== undefined || body.additionalModelRequestFields?.inferenceConfig?.topK !== undefined;
    if (reasoningConfig.maxReasoningEffort === 'high' && sampled) return 'The model returned the following errors: temperature, topP and topK cannot be used with maxReasoningEffort high.';
  }
  // gpt-oss takes OpenAI's reasoning_effort (low, medium, high) in the model fields; the wording of the refusal is the stand-in's.
  const effort = body.additionalModelRequestFields?.reasoning_effort;
  if (effort !== undefined && (!/openai\.gpt-oss/.test(model) || !['low', 'medium', 'high'].includes(effort))) return `The model returned the following errors: reasoning_effort '${effort}' is not supported.`;
  if (body.system !== undefined && noSystemModels.test(model)) return "This model doesn't support system messages. Try again without system messages.";
  if (body.toolConfig !== undefined && noToolModels.test(model)) return "This model doesn't support tool use.";
  if (body.toolConfig !== undefined && streamed && noStreamingToolModels.test(model)) return "This model doesn't support tool use in streaming mode.";
  const choice = body.toolConfig?.toolChoice;
  if (choice?.tool !== undefined && !forcedToolModels.test(model)) return "This model doesn't support the toolConfig.toolChoice.tool field. Remove toolConfig.toolChoice.tool and try again.";
  if (choice?.any !== undefined && !anyToolModels.test(model)) return "This model doesn't support the toolConfig.toolChoice.any field. Remove toolConfig.toolChoice.any and try again.";
  const thinking = body.additionalModelRequestFields?.thinking;
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens ?? 0;
    if (budget < 1024) return 'The model returned the following errors: thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
    if ((body.inferenceConfig?.maxTokens ?? 0) <= budget) return 'The model returned the following errors: `max_tokens` must be greater than `thinking.budget_tokens`.';
  }
  if (oneSamplerModels.test(model) && body.inferenceConfig?.temperature !== undefined && body.inferenceConfig.topP !== undefined) {
    return 'The model returned the following errors: `temperature` and `top_p` cannot both be specified for this model. Please use only one.';
  }
  if (/anthropic\.claude/.test(model) && (body.inferenceConfig?.stopSequences ?? []).some((stop) => stop.trim() === '')) {
    return 'The model returned the following errors: stop_sequences: each stop sequence must contain non-whitespace';
  }
  // Claude takes a last assistant turn as a prefill, which may not end in whitespace (as on Anthropic's API).
  const last = messages.at(-1)!;
  const lastText = last.content.findLast((block) => block.cachePoint === undefined)?.text;
  if (/anthropic\.claude/.test(model) && last.role === 'assistant' && typeof lastText === 'string' && /\s$/.test(lastText)) {
    return 'The model returned the following errors: final assistant content cannot end with trailing whitespace';
  }
  return null;
}

/** A Converse stand-in: 400 ValidationException for what Bedrock refuses, else `answer`. */
export function checkingConverse(answer: () => Reply): Reply {
  return (request: RecordedRequest, response: ServerResponse) => {
    const refusal = converseRefusal(modelOfPath(request.path), request.json as Body, request.path.endsWith('/converse-stream'));
    if (refusal !== null) {
      response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
      response.end(JSON.stringify({ message: refusal }));
      return;
    }
    return answer()(request, response);
  };
}
