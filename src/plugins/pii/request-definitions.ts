import type { ChatRequest, FunctionTool } from '../../canonical/chat.ts';
import { rewriteResponseFormatTexts } from '../../canonical/response-format-texts.ts';
import { rewriteToolDefinitionTexts } from '../../canonical/tool-definition-texts.ts';

type Rewrite = (text: string) => string;

/**
 * An OpenAI custom tool (`{type: 'custom', custom: {name, description, format}}`, forwarded to
 * OpenAI-compatible providers as sent): its description. Its format's grammar is syntax, kept.
 */
function rewriteCustomTool(tool: { custom?: { description?: unknown } | null }, rewrite: Rewrite): boolean {
  const custom = tool.custom;
  if (custom === null || typeof custom !== 'object' || typeof custom.description !== 'string') return false;
  const description = rewrite(custom.description);
  if (description === custom.description) return false;
  tool.custom = { ...custom, description };
  return true;
}

function isCustomTool(tool: unknown): tool is { type: 'custom'; custom?: { description?: unknown } | null } {
  return tool !== null && typeof tool === 'object' && (tool as { type?: unknown }).type === 'custom';
}

/** The legacy chat `functions` (each what a tool's `function` is), forwarded as sent. */
function rewriteLegacyFunctions(functions: unknown[], rewrite: Rewrite): boolean {
  let changed = false;
  functions.forEach((fn, index) => {
    const tool = { type: 'function', function: fn } as FunctionTool;
    if (!rewriteToolDefinitionTexts(tool, rewrite)) return;
    functions[index] = tool.function;
    changed = true;
  });
  return changed;
}

/**
 * Rewrites what a chat request defines for the model besides its messages — the tool definitions
 * (descriptions, and the prose and values of their parameters' schemas; OpenAI custom tools' and
 * the legacy `functions`' too) and a json_schema response format — in place, returning true when a
 * text changed. Names of tools, parameters and formats are identifiers and kept. Each text is one
 * of its own, never joined with the messages nor with the next definition text, and each distinct
 * text is rewritten once per request: an agent's tools repeat their parameter texts ("The customer
 * ID…", an enum of currencies) from tool to tool.
 */
export function rewriteRequestDefinitions(request: ChatRequest, rewrite: Rewrite): boolean {
  const done = new Map<string, string>();
  const once = (text: string): string => {
    let next = done.get(text);
    if (next === undefined) done.set(text, (next = rewrite(text)));
    return next;
  };
  let changed = false;
  if (Array.isArray(request.tools)) {
    for (const tool of request.tools) changed = (isCustomTool(tool) ? rewriteCustomTool(tool, once) : rewriteToolDefinitionTexts(tool, once)) || changed;
  }
  if (Array.isArray(request.functions)) changed = rewriteLegacyFunctions(request.functions, once) || changed;
  return rewriteResponseFormatTexts(request, once) || changed;
}
