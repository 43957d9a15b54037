import type { FunctionTool } from './chat.ts';
import { jsonSchemaTexts } from './json-schema-texts.ts';

/**
 * The texts of a tool definition the model reads (models read tool definitions as instructions):
 * the function's name, its description, and the texts of its parameters' schema (json-schema-texts.ts),
 * each a text of its own, in order. Chat `tools`, Messages `tools` (client tools) and Responses
 * function tools all arrive as canonical function tools.
 */
export function toolDefinitionTexts(tool: FunctionTool): string[] {
  const fn = tool.function as Partial<FunctionTool['function']> | undefined;
  if (fn === undefined || fn === null || typeof fn !== 'object') return [];
  const texts: string[] = [];
  if (typeof fn.name === 'string' && fn.name !== '') texts.push(fn.name);
  if (typeof fn.description === 'string' && fn.description !== '') texts.push(fn.description);
  if (fn.parameters !== undefined) jsonSchemaTexts(fn.parameters, texts);
  return texts;
}
