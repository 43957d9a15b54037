import { customToolCallOf } from '../../canonical/custom-tool-call.ts';
import type { ChatMessage, FilePart, Role } from '../../canonical/chat.ts';
import { setTextFileText, textFileText } from '../../canonical/text-file.ts';

/** One text of a chat request, and where its rewrite goes back. */
export interface ChatText {
  text: string;
  write(text: string): void;
  /** Tool call arguments: a JSON string whose string values are rewritten one by one (request-texts.ts). */
  arguments?: true;
}

/**
 * The texts of a chat request in order, each entry a run of texts the model reads back to back
 * (most runs hold one text). A value split across the texts of a run (`"my card is 4111 1111"`,
 * `" 1111 1111"`) is one value to the model, so a run is scanned as one text as well (joined
 * with nothing between, as OpenAI reads text parts and Claude a turn's text blocks).
 *
 * A run is the message content the model reads as one stretch of text:
 * - the adjacent text parts of a message (an image, audio or file part between them ends the run);
 * - the content of consecutive messages of one role, so consecutive tool results (an Anthropic
 *   `tool_result`'s text blocks, the results of parallel calls) and a paste sent as several user
 *   messages; system and developer messages count as one role (both are the instructions,
 *   which Claude reads as one run of system blocks). Not across a change of role: a person's words
 *   and a tool's output, or the user's and the assistant's, are two speakers, and gluing their
 *   texts would make numbers neither wrote. Nor past the things the model reads between: an
 *   earlier message's tool calls (after its content) or a later message's reasoning (before it).
 * Reasoning, an assistant's refusal, tool call arguments and text files are texts of their own,
 * each a run of one.
 */
export function chatTextRuns(messages: readonly ChatMessage[]): ChatText[][] {
  const runs: ChatText[][] = [];
  // The run the next message's first text joins, if that message continues it.
  let open: ChatText[] | null = null;
  let previous: ChatMessage | undefined;
  const add = (text: ChatText): void => {
    if (open) open.push(text);
    else runs.push((open = [text]));
  };
  for (const message of messages) {
    if (previous === undefined || !continues(previous, message)) open = null;
    const content = message.content;
    if (typeof content === 'string') add({ text: content, write: (text) => (message.content = text) });
    else if (Array.isArray(content)) {
      for (const part of content) {
        // The parsers refuse a part that is not an object; should one get here anyway, it is read as nothing (and ends the run).
        if (part !== null && typeof part === 'object' && part.type === 'text' && typeof part.text === 'string') {
          add({ text: part.text, write: (text) => (part.text = text) });
          continue;
        }
        // Anything else between texts is read between them: the run ends.
        open = null;
        // A text file (text/*, JSON, XML data URL) is read as text, a document of its own.
        const fileText = textFileText(part);
        if (fileText !== null) runs.push([{ text: fileText, write: (text) => setTextFileText(part as FilePart, text) }]);
      }
    } else open = null;
    // An assistant's refusal in the history is what it said instead of an answer: a text of its own.
    if (typeof message.refusal === 'string' && message.refusal !== '') {
      runs.push([{ text: message.refusal, write: (text) => (message.refusal = text) }]);
      open = null;
    }
    if (typeof message.reasoning_content === 'string') {
      runs.push([{ text: message.reasoning_content, write: (text) => (message.reasoning_content = text) }]);
    }
    for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
      // GPT-5's custom tool call: free-form input (a patch, a query), a text of its own.
      const custom = customToolCallOf(call)?.custom;
      if (custom !== undefined) {
        runs.push([{ text: custom.input, write: (text) => (custom.input = text) }]);
        continue;
      }
      if (typeof call?.function?.arguments !== 'string') continue;
      runs.push([{ text: call.function.arguments, write: (text) => (call.function.arguments = text), arguments: true }]);
    }
    previous = message;
  }
  return runs;
}

const roleGroup = (role: Role): string => (role === 'developer' ? 'system' : role);

/** Whether `message`'s content is read right after `previous`'s, as one text (the rule above). */
function continues(previous: ChatMessage, message: ChatMessage): boolean {
  if (roleGroup(previous.role) !== roleGroup(message.role)) return false;
  if ((previous.tool_calls?.length ?? 0) > 0) return false;
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') return false;
  return true;
}
