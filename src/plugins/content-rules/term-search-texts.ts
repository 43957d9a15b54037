import { customInputOf } from '../../canonical/custom-tool-call.ts';
import type { ChatRequest } from '../../canonical/chat.ts';
import { argumentStrings } from '../../canonical/json-strings.ts';
import type { CanonicalRequest, Operation } from '../../canonical/operation.ts';
import { responseFormatTexts } from '../../canonical/response-format-texts.ts';
import { scanOnlyTextsOf, textFilesOf } from '../../canonical/text-file.ts';
import { toolDefinitionTexts } from '../../canonical/tool-definition-texts.ts';
import { joinReadApart, joinReadTogether } from './blocked-terms.ts';
import { promptTexts, textPartsOf, type PromptText } from './measure-prompt.ts';

/**
 * A tool call's arguments as the model reads them: a JSON text is read value by value after
 * parsing (keys and string values, read apart: `{"q":"project \u0066alcon"}` is `project falcon`,
 * `{"a":"project","b":"falcon"}` holds no term), as pii reads them; text that is not JSON as written.
 */
function argumentsText(text: string): string {
  const strings = argumentStrings(text, true);
  return strings === null ? text : joinReadApart(strings);
}

/**
 * The texts blocked terms are looked for in: everything of a chat request the model reads.
 * - Each message's text parts as the one text the model reads (joinReadTogether: a phrase split
 *   over two parts, `"see project "` + `"falcon"` or `"proj"` + `"ect falcon"`, is still found).
 * - Apart from it, each a text of its own: the message's `name`, an assistant's `refusal` and
 *   reasoning (Messages `thinking`, Responses reasoning text), tool-call arguments (value by
 *   value: argumentsText), text files (text/*, JSON, XML data URLs, decoded), and the text of
 *   Anthropic server tool blocks.
 * - The tool definitions (names, descriptions, parameter schemas) and a json_schema response
 *   format, read apart string by string (joinReadApart), as the developer's (role `developer`:
 *   not searched under `blocked_terms_roles: user`, when `definitions` is false).
 * Completions: the prompt. Embeddings: nothing.
 */
export function termSearchTexts(operation: Operation, body: CanonicalRequest, definitions = true): PromptText[] {
  if (operation !== 'chat') return promptTexts(operation, body);
  const request = body as ChatRequest;
  const texts: PromptText[] = [];
  for (const message of request.messages) {
    const role = message.role;
    const content = message.content;
    if (typeof content === 'string') texts.push({ role, text: content });
    else if (Array.isArray(content)) {
      const parts = textPartsOf(content);
      if (parts.length > 0) texts.push({ role, text: parts.length === 1 ? parts[0] : joinReadTogether(parts) });
    }
    if (typeof message.name === 'string' && message.name !== '') texts.push({ role, text: message.name });
    if (typeof message.refusal === 'string' && message.refusal !== '') texts.push({ role, text: message.refusal });
    if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') texts.push({ role, text: message.reasoning_content });
    if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) if (typeof call?.function?.arguments === 'string') texts.push({ role, text: argumentsText(call.function.arguments) });
    if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) for (const text of customInputOf(call)) texts.push({ role, text });
    // Text files, each a text of its own, decoded as the model reads them.
    if (Array.isArray(content)) for (const text of textFilesOf(message)) texts.push({ role, text });
  }
  // The text of Anthropic server tool blocks (kept apart by the Messages conversion: canonical/text-file.ts).
  for (const entry of scanOnlyTextsOf(body)) texts.push({ role: entry.role, text: entry.text });
  if (!definitions) return texts;
  const strings: string[] = [];
  if (Array.isArray(request.tools)) for (const tool of request.tools) strings.push(...toolDefinitionTexts(tool));
  // The legacy `functions` go up as sent, as pii and prompt-guard read them.
  if (Array.isArray(request.functions)) for (const fn of request.functions) strings.push(...toolDefinitionTexts({ type: 'function', function: fn }));
  strings.push(...responseFormatTexts(request.response_format));
  if (strings.length > 0) texts.push({ role: 'developer', text: joinReadApart(strings) });
  return texts;
}
