import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { ChatQuirks } from './preset-spec.ts';

export interface QuirkResult {
  request: ChatRequest;
  /** What changed, for the debug log (`dropped user`, `renamed seed -> random_seed`, ...); empty when nothing did. */
  changes: string[];
}

/**
 * Adjusts a chat request to what a service accepts. The input is never mutated; when nothing
 * applies the same object comes back with no changes, so the caller can forward the raw bytes.
 */
export function applyChatQuirks(request: ChatRequest, quirks: ChatQuirks): QuirkResult {
  const changes: string[] = [];
  let out: Record<string, unknown> = request;
  const edit = (): Record<string, unknown> => (out === request ? (out = { ...request }) : out);

  for (const field of quirks.drop ?? []) {
    if (out[field] === undefined) continue;
    delete edit()[field];
    changes.push(`dropped ${field}`);
  }
  for (const [from, to] of Object.entries(quirks.rename ?? {})) {
    if (out[from] === undefined) continue;
    const target = edit();
    if (target[to] === undefined || target[to] === null) target[to] = target[from];
    delete target[from];
    changes.push(`renamed ${from} -> ${to}`);
  }
  if (quirks.dropMessageFields && Array.isArray(request.messages)) {
    const messages = request.messages.map((message: ChatMessage) => {
      let copy: ChatMessage | null = null;
      for (const { field, roles } of quirks.dropMessageFields!) {
        if (message[field] === undefined || !roles.includes(message.role)) continue;
        copy ??= { ...message };
        delete copy[field];
        changes.push(`dropped messages[].${field} (${message.role})`);
      }
      return copy ?? message;
    });
    if (messages.some((message, index) => message !== request.messages[index])) edit().messages = messages;
  }
  return { request: out as ChatRequest, changes: [...new Set(changes)] };
}
