import type { Operation } from '../canonical/operation.ts';
import type { ClientFormat } from '../providers/provider.ts';
import { repeatedTopLevelKey } from '../formats/openai/rewrite-raw-body.ts';

/**
 * The top-level keys of a JSON body that must not be named twice, by endpoint: `model` on every
 * one, and those the guardrails read (pii, prompt-guard, content-rules). Such a key named twice is
 * refused (errors.duplicateKey): JSON.parse, and so routing, pricing and every guardrail, reads
 * the last value, while a passthrough forwards the client's bytes, and a provider whose parser
 * keeps the first would serve a model the key may not use, at a price nobody recorded, or read
 * text no guardrail saw (the security-2 audit: a blocked prompt in the first `messages`, "hi" in
 * the second). Every name here is lower-case ASCII letters only: see repeatedGuardedKey.
 */
const keysByFormat = {
  anthropic: ['messages', 'system', 'tools'],
  'openai-responses': ['input', 'instructions', 'tools'],
} as const;

const keysByOperation: Partial<Record<Operation, readonly string[]>> = {
  chat: ['messages', 'tools', 'functions'],
  completions: ['prompt'],
  embeddings: ['input'],
  moderations: ['input'],
  image_generations: ['prompt'],
  speech: ['input'],
  rerank: ['query', 'documents'],
};

/** A set of guarded keys, with what the quick search looks for. */
export interface GuardedKeys {
  readonly names: ReadonlySet<string>;
  /** Each name as its JSON string, quotes included (`"messages"`). */
  readonly quoted: readonly Buffer[];
}

function guardedKeys(names: readonly string[]): GuardedKeys {
  return { names: new Set(names), quoted: names.map((name) => Buffer.from(JSON.stringify(name))) };
}

/** `model` alone: what an endpoint whose body the guardrails do not read may not name twice. */
export const modelOnly: GuardedKeys = guardedKeys(['model']);

const guardedByFormat = { anthropic: guardedKeys(keysByFormat.anthropic), 'openai-responses': guardedKeys(keysByFormat['openai-responses']) };
const guardedByOperation = new Map(Object.entries(keysByOperation).map(([operation, names]) => [operation, guardedKeys(names)]));
const onceByFormat = { anthropic: guardedKeys(['model', ...keysByFormat.anthropic]), 'openai-responses': guardedKeys(['model', ...keysByFormat['openai-responses']]) };
const onceByOperation = new Map(Object.entries(keysByOperation).map(([operation, names]) => [operation, guardedKeys(['model', ...names])]));

/** The keys the guardrails read on this endpoint; null where they read none. */
export function guardedKeysOf(clientFormat: ClientFormat, operation: Operation): GuardedKeys | null {
  if (clientFormat === 'anthropic' || clientFormat === 'openai-responses') return guardedByFormat[clientFormat];
  return guardedByOperation.get(operation) ?? null;
}

/** The keys this endpoint's JSON body may name once only: `model` and those the guardrails read (one check, repeatedGuardedKey). */
export function keysNamedOnceOf(clientFormat: ClientFormat, operation: Operation): GuardedKeys {
  if (clientFormat === 'anthropic' || clientFormat === 'openai-responses') return onceByFormat[clientFormat];
  return onceByOperation.get(operation) ?? modelOnly;
}

// A JSON escape of a lower-case ASCII letter (0x61-0x7a) is `\u006…` or `\u007…`: one search for
// `\u00`, then a look at the next byte (accented Latin letters, `\u00e9`, are the other hits).
const escapeStart = Buffer.from('\\u00');
const digit6 = 0x36;
const digit7 = 0x37;

function hasEscapedLetter(body: Buffer): boolean {
  for (let at = body.indexOf(escapeStart); at !== -1; at = body.indexOf(escapeStart, at + escapeStart.length)) {
    const next = body[at + escapeStart.length];
    if (next === digit6 || next === digit7) return true;
  }
  return false;
}

/**
 * The first guarded key the top-level object of `body` (one JSON.parse accepted) names more than
 * once, however spelled; null when none is.
 *
 * Cheap on the hot path: a few native searches, no parse. A second key is either the text
 * `"messages"` again (a JSON string token: inside a string a quote is escaped, so the text cannot
 * occur there) or a spelling with an escaped letter, which serializers never write (they escape
 * non-ASCII and control characters). Only a body where the quoted name turns up twice (anywhere:
 * a tool schema's property, say) or an escaped letter turns up at all has its top-level keys
 * walked (about half a JSON.parse). A 1.6 KB chat body costs about 1.5 µs, a 100 KB one about 7 µs
 * (JSON.parse: ~4 and ~90 µs).
 */
export function repeatedGuardedKey(body: Buffer, keys: GuardedKeys): string | null {
  let suspect = false;
  for (const quoted of keys.quoted) {
    const first = body.indexOf(quoted);
    if (first !== -1 && body.indexOf(quoted, first + quoted.length) !== -1) {
      suspect = true;
      break;
    }
  }
  if (!suspect) suspect = hasEscapedLetter(body);
  return suspect ? repeatedTopLevelKey(body, keys.names) : null;
}
