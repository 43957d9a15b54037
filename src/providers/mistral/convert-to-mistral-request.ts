import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import { narrowAllowedTools } from '../narrow-allowed-tools.ts';
import { mistralDroppedParameters, mistralFunctionCallFields, mistralMessageFields, mistralReasoningEffort, mistralRenamedParameters, mistralToolCallFields, mistralUnsentParameters } from './mistral-api.ts';
import { fitMistralMessageOrder } from './mistral-message-order.ts';
import { mistralToolCallId } from './mistral-tool-call-id.ts';

/** Top-level fields never sent to Mistral: the warned-about ones and the silently unsent. */
const leftOut: readonly string[] = [...mistralDroppedParameters, ...mistralUnsentParameters];

export interface MistralRequest {
  request: ChatRequest;
  /** What changed, for the debug log (`dropped verbosity`, `developer -> system`, ...); empty when nothing did. */
  changes: string[];
}

/**
 * An OpenAI chat request as Mistral accepts it: OpenAI-only parameters left out (the gateway has
 * already warned about, or refused, those a client chose: MistralProvider.droppedParameters),
 * `seed` and `max_completion_tokens` renamed, `reasoning_effort` mapped to Mistral's two values,
 * `allowed_tools` narrowed, a function without `parameters` given an empty object schema, the
 * messages made to fit Mistral's schema (toMistralMessage below) and put in an order Mistral
 * serves (mistral-message-order.ts).
 * The input is never changed; when nothing applies the same object comes back with no changes, so
 * the caller can forward the client's own bytes.
 */
export function convertToMistralRequest(request: ChatRequest): MistralRequest {
  const changes: string[] = [];
  let out: Record<string, unknown> = request;
  const edit = (): Record<string, unknown> => (out === request ? (out = { ...request }) : out);

  for (const field of leftOut) {
    if (out[field] === undefined) continue;
    delete edit()[field];
    changes.push(`dropped ${field}`);
  }
  for (const [from, to] of Object.entries(mistralRenamedParameters)) {
    if (out[from] === undefined) continue;
    const target = edit();
    if (target[to] === undefined || target[to] === null) target[to] = target[from];
    delete target[from];
    changes.push(`renamed ${from} -> ${to}`);
  }
  const effort = out.reasoning_effort;
  if (typeof effort === 'string' && Object.hasOwn(mistralReasoningEffort, effort) && mistralReasoningEffort[effort] !== effort) {
    edit().reasoning_effort = mistralReasoningEffort[effort];
    changes.push(`reasoning_effort ${effort} -> ${mistralReasoningEffort[effort]}`);
  }
  const narrowed = narrowAllowedTools('chat', out as ChatRequest) as Record<string, unknown>;
  if (narrowed !== out) {
    out = narrowed;
    changes.push('tool_choice allowed_tools -> tools and mode');
  }
  const tools = toMistralTools(out.tools, changes);
  if (tools !== out.tools) edit().tools = tools;
  if (Array.isArray(request.messages)) {
    const messages = fitMistralMessageOrder(request.messages.map((message) => toMistralMessage(message, changes)), changes);
    if (messages.length !== request.messages.length || messages.some((message, index) => message !== request.messages[index])) edit().messages = messages;
  }
  return { request: out as ChatRequest, changes: [...new Set(changes)] };
}

/**
 * Function tools as Mistral takes them: its `parameters` is required (422 "Field required") where
 * OpenAI's is optional (left out: no parameters), so such a function gets an empty object schema.
 */
function toMistralTools(tools: unknown, changes: string[]): unknown {
  if (!Array.isArray(tools)) return tools;
  let changed = false;
  const fitted = tools.map((tool: unknown) => {
    if (tool === null || typeof tool !== 'object') return tool;
    const fn = (tool as { function?: unknown }).function;
    if (fn === null || typeof fn !== 'object' || ((fn as { parameters?: unknown }).parameters ?? null) !== null) return tool;
    changed = true;
    return { ...tool, function: { ...fn, parameters: { type: 'object', properties: {} } } };
  });
  if (!changed) return tools;
  changes.push('empty parameters schema for functions without one');
  return fitted;
}

/**
 * One message as Mistral takes it: `developer` becomes `system` (Mistral's roles are system, user,
 * assistant and tool), fields outside the role's schema are left out, and tool-call ids that break
 * Mistral's rule are mapped (mistral-tool-call-id.ts) on the assistant's calls and on the tool
 * message that answers each. A role Mistral does not know is left for Mistral to refuse.
 */
function toMistralMessage(message: ChatMessage, changes: string[]): ChatMessage {
  if (message === null || typeof message !== 'object') return message;
  let copy: Record<string, unknown> | null = null;
  const edit = (): Record<string, unknown> => (copy ??= { ...message });
  let role: string = message.role;
  if (role === 'developer') {
    edit().role = role = 'system';
    changes.push('developer -> system');
  }
  const allowed = mistralMessageFields[role];
  if (allowed === undefined) return message;
  for (const field of Object.keys(message)) {
    if (allowed.has(field)) continue;
    delete edit()[field];
    changes.push(`dropped messages[].${field} (${role})`);
  }
  if (role === 'assistant' && Array.isArray(message.tool_calls)) {
    const calls = message.tool_calls.map((call) => toMistralToolCall(call, changes));
    if (calls.some((call, index) => call !== message.tool_calls![index])) edit().tool_calls = calls;
  }
  if (role === 'tool' && typeof message.tool_call_id === 'string') {
    const id = mistralToolCallId(message.tool_call_id);
    if (id !== message.tool_call_id) {
      edit().tool_call_id = id;
      changes.push('mapped tool call ids');
    }
  }
  return (copy ?? message) as ChatMessage;
}

function toMistralToolCall<T>(call: T, changes: string[]): T {
  if (call === null || typeof call !== 'object') return call;
  const fields = call as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  const edit = (): Record<string, unknown> => (copy ??= { ...fields });
  for (const field of Object.keys(fields)) {
    if (mistralToolCallFields.has(field)) continue;
    delete edit()[field];
    changes.push(`dropped messages[].tool_calls[].${field}`);
  }
  const fn = fields.function;
  if (fn !== null && typeof fn === 'object' && Object.keys(fn).some((field) => !mistralFunctionCallFields.has(field))) {
    const kept: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(fn)) {
      if (mistralFunctionCallFields.has(field)) kept[field] = value;
      else changes.push(`dropped messages[].tool_calls[].function.${field}`);
    }
    edit().function = kept;
  }
  if (typeof fields.id === 'string') {
    const id = mistralToolCallId(fields.id);
    if (id !== fields.id) {
      edit().id = id;
      changes.push('mapped tool call ids');
    }
  }
  return (copy ?? call) as T;
}
