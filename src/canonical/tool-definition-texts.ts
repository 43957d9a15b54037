import type { FunctionTool } from './chat.ts';
import { jsonSchemaTexts, rewriteJsonSchemaTexts } from './json-schema-texts.ts';

/**
 * The texts of a tool definition the model reads (models read tool definitions as instructions):
 * the function's name, its description, and the texts of its parameters' schema (json-schema-texts.ts),
 * each a text of its own, in order. Chat `tools`, Messages `tools` (client tools) and Responses
 * function tools all arrive as canonical function tools; an OpenAI custom tool gives its name and
 * description. A legacy chat `functions` entry is what a tool's `function` is: read it as
 * `{ type: 'function', function: entry }`.
 */
export function toolDefinitionTexts(tool: FunctionTool): string[] {
  if (tool === null || typeof tool !== 'object') return [];
  // An OpenAI custom tool (`{type: 'custom', custom: {name, description, format}}`) is read by its name and description.
  const custom = (tool as { custom?: { name?: unknown; description?: unknown } | null }).custom;
  if (custom !== undefined && custom !== null && typeof custom === 'object') {
    return [custom.name, custom.description].filter((text): text is string => typeof text === 'string' && text !== '');
  }
  const fn = tool.function as Partial<FunctionTool['function']> | undefined;
  if (fn === undefined || fn === null || typeof fn !== 'object') return [];
  const texts: string[] = [];
  if (typeof fn.name === 'string' && fn.name !== '') texts.push(fn.name);
  if (typeof fn.description === 'string' && fn.description !== '') texts.push(fn.description);
  if (fn.parameters !== undefined) jsonSchemaTexts(fn.parameters, texts);
  return texts;
}

/**
 * Rewrites the texts of a tool definition a guardrail may change, in order: its description and
 * its parameters' texts (rewriteJsonSchemaTexts: prose and values, not the parameters' names).
 * The function's name is an identifier the model calls it by, and is kept. A changed definition
 * gets a new `function` object (its `parameters` may be the client's own object, which a Responses
 * answer echoes). Returns true when a text changed.
 */
export function rewriteToolDefinitionTexts(tool: FunctionTool, rewrite: (text: string) => string): boolean {
  if (tool === null || typeof tool !== 'object') return false;
  const fn = tool.function as Partial<FunctionTool['function']> | undefined;
  if (fn === undefined || fn === null || typeof fn !== 'object') return false;
  const description = typeof fn.description === 'string' && fn.description !== '' ? rewrite(fn.description) : fn.description;
  const parameters = fn.parameters === undefined ? undefined : rewriteJsonSchemaTexts(fn.parameters, rewrite);
  if (description === fn.description && parameters === fn.parameters) return false;
  const next = { ...fn } as FunctionTool['function'];
  if (description !== fn.description) next.description = description;
  if (parameters !== fn.parameters) next.parameters = parameters;
  tool.function = next;
  return true;
}
