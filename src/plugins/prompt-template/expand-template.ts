import type { ChatMessage } from '../../canonical/chat.ts';
import type { TemplateConfig } from './prompt-template-config.ts';
import { compileTemplateText, renderPieces, type TemplatePiece } from './template-text.ts';
import { resolveVariables, type VariableDeclaration } from './template-variables.ts';

/** A template compiled once at load. */
export interface CompiledTemplate {
  name: string;
  variables: Readonly<Record<string, VariableDeclaration>>;
  messages: Array<{ role: ChatMessage['role']; pieces: TemplatePiece[] }>;
}

export function compileTemplate(name: string, template: TemplateConfig): CompiledTemplate {
  const messages = template.prompt !== undefined ? [{ role: 'user' as const, content: template.prompt }] : template.messages!;
  return { name, variables: template.variables, messages: messages.map((message) => ({ role: message.role, pieces: compileTemplateText(message.content) })) };
}

/** The template's messages with the request's variables checked and inserted (400 invalid_template_variables). */
export function expandTemplate(template: CompiledTemplate, variables: unknown): ChatMessage[] {
  const values = resolveVariables(template.name, template.variables, variables);
  return template.messages.map((message) => ({ role: message.role, content: renderPieces(message.pieces, values) }));
}
