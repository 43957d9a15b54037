import type { ResponseFormat } from '../canonical/chat.ts';

/** The tool that carries a JSON-mode answer; renamed if a client tool already has this name. */
export const jsonToolBaseName = 'json_response';

/** The forced tool that stands in for response_format JSON mode, before it is put in a provider's wire shape. */
export interface JsonModeTool {
  name: string;
  description: string;
  /** The requested schema; any object for json_object. */
  schema: Record<string, unknown>;
}

/**
 * JSON mode as a forced tool, for APIs with tools but no response format of their own (Anthropic
 * Messages, Bedrock Converse): the tool's input schema is the requested schema, the model must
 * call it, and the response converters turn its input back into the message content. Null when
 * the request asks for no JSON. `toolNames` are the client's tools, which keep their names.
 */
export function jsonModeTool(format: ResponseFormat | undefined, toolNames: readonly string[]): JsonModeTool | null {
  if (!format || (format.type !== 'json_object' && format.type !== 'json_schema')) return null;
  let name = jsonToolBaseName;
  while (toolNames.includes(name)) name = `${name}_`;
  const schema = format.type === 'json_schema' ? format.json_schema?.schema ?? { type: 'object' } : { type: 'object' };
  const description = format.type === 'json_schema' && format.json_schema?.description ? format.json_schema.description : 'Give your final answer by calling this tool; its input is the answer as JSON.';
  return { name, description, schema };
}
