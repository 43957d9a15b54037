import { createHash } from 'node:crypto';
import type { ChatRequest } from '../../canonical/chat.ts';

/**
 * What Google takes as a function name (Vertex AI's FunctionDeclaration.name: "must start with a
 * letter or an underscore", then letters, digits, underscores, dots and dashes, at most 64; the
 * Gemini API says the same or less). OpenAI accepts more: `2fa_check`, `-x`, 128 characters from
 * other clients, or an MCP name with a `/` or `:`.
 */
const validName = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

const maxLength = 64;

/** A valid name close to the client's: other characters become `_`, a leading `_` is added where needed. */
function sanitize(name: string): string {
  let out = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (!/^[A-Za-z_]/.test(out)) out = `_${out}`;
  return out;
}

function shortHash(name: string): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 8);
}

/**
 * The function names of one request as Gemini sees them, both ways. A name Google would refuse
 * is replaced, deterministically, by a valid one (`2fa_check` -> `_2fa_check`; when that is taken
 * by another name of the request, or the name was cut at 64 characters, a hash of the client's
 * name is added: `_2fa_check_1a2b3c4d`); every other name is kept. Declarations, tool_choice, the
 * calls and results of earlier turns go up renamed; the calls Gemini makes come back under the
 * client's names.
 */
export class GeminiToolNames {
  readonly #toGemini = new Map<string, string>();
  readonly #toClient = new Map<string, string>();

  constructor(names: Iterable<string>) {
    const all = new Set(names);
    const taken = new Set([...all].filter((name) => validName.test(name)));
    // Sorted, so the same set of names is renamed the same way whatever order they came in.
    const invalid = [...all].filter((name) => !validName.test(name)).sort();
    const counts = new Map<string, number>();
    for (const name of invalid) {
      const candidate = sanitize(name).slice(0, maxLength);
      counts.set(candidate, (counts.get(candidate) ?? 0) + 1);
    }
    for (const name of invalid) {
      const full = sanitize(name);
      let candidate = full.slice(0, maxLength);
      // Two names that would read the same, or a name cut short, get the client name's hash as well.
      if (full.length > maxLength || taken.has(candidate) || counts.get(candidate)! > 1) candidate = `${full.slice(0, maxLength - 9)}_${shortHash(name)}`;
      taken.add(candidate);
      this.#toGemini.set(name, candidate);
      this.#toClient.set(candidate, name);
    }
  }

  /** The name to send Gemini for a client's function name. */
  toGemini(name: string): string {
    return this.#toGemini.get(name) ?? name;
  }

  /** The client's name for a function name Gemini answered with. */
  toClient(name: string): string {
    return this.#toClient.get(name) ?? name;
  }
}

/** Every function name a chat request holds: its tools, tool_choice, and the calls and results of earlier turns. */
export function geminiToolNamesOf(request: ChatRequest): GeminiToolNames {
  const names: string[] = [];
  for (const tool of request.tools ?? []) if (typeof tool.function?.name === 'string') names.push(tool.function.name);
  const choice = request.tool_choice;
  if (typeof choice === 'object' && choice !== null && typeof choice.function?.name === 'string') names.push(choice.function.name);
  for (const message of request.messages) {
    for (const call of message.tool_calls ?? []) if (typeof call.function?.name === 'string') names.push(call.function.name);
    const legacy = message.function_call as { name?: unknown } | undefined;
    if (typeof legacy?.name === 'string') names.push(legacy.name);
    if ((message.role === 'tool' || (message.role as string) === 'function') && typeof message.name === 'string') names.push(message.name);
  }
  return new GeminiToolNames(names);
}
