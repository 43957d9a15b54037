import type { ChatMessage } from '../../canonical/chat.ts';
import { compileJsonSchema, type CompiledSchema } from '../../plugins/output-validation/compile-json-schema.ts';
import { compileTemplateText, renderPieces, type TemplatePiece } from '../../plugins/prompt-template/template-text.ts';
import { promptApiSchemaLimits, type PromptApiConfig } from './prompt-api-config.ts';

/** A prompt API ready to serve: schemas and template compiled once per configuration. */
export interface CompiledPromptApi {
  config: PromptApiConfig;
  /** The input's schema; checking fills in its `default`s. */
  validateInput: CompiledSchema;
  validateOutput: CompiledSchema | null;
  messages: Array<{ role: ChatMessage['role']; pieces: TemplatePiece[] }>;
}

function compile(api: PromptApiConfig): CompiledPromptApi {
  const messages = api.prompt !== undefined ? [{ role: 'user' as const, content: api.prompt }] : api.messages!;
  return {
    config: api,
    // Input checking fills in `default`s; output checking never changes an answer.
    validateInput: compileJsonSchema(api.input, { ...promptApiSchemaLimits, useDefaults: true }),
    validateOutput: api.output.mode === 'json' && api.output.schema ? compileJsonSchema(api.output.schema, promptApiSchemaLimits) : null,
    messages: messages.map((message) => ({ role: message.role, pieces: compileTemplateText(message.content) })),
  };
}

const compiledByConfig = new WeakMap<readonly PromptApiConfig[], Map<string, CompiledPromptApi>>();

/**
 * The prompt APIs of a configuration by path. The config was validated at load (schemas compile,
 * placeholders are input properties); compiling happens once per configuration version, on first use.
 */
export function promptApisOf(apis: readonly PromptApiConfig[]): Map<string, CompiledPromptApi> {
  let compiled = compiledByConfig.get(apis);
  if (!compiled) {
    compiled = new Map(apis.map((api) => [api.path, compile(api)]));
    compiledByConfig.set(apis, compiled);
  }
  return compiled;
}

/** A field's text in the prompt: strings as they are, anything else as JSON; inserted once, never re-read as a template. */
function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The API's messages with the (validated) input's top-level fields inserted. */
export function renderPromptApiMessages(api: CompiledPromptApi, input: unknown): ChatMessage[] {
  const fields = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const values = new Map<string, string>();
  for (const message of api.messages) for (const piece of message.pieces) if (piece.kind === 'variable' && !values.has(piece.name)) values.set(piece.name, fieldText(Object.hasOwn(fields, piece.name) ? fields[piece.name] : undefined));
  return api.messages.map((message) => ({ role: message.role, content: renderPieces(message.pieces, values) }));
}
