import type { ChatMessage, ChatRequest } from '../../canonical/chat.ts';
import type { CompletionRequest } from '../../canonical/completions.ts';
import type { EmbeddingRequest } from '../../canonical/embeddings.ts';
import type { ModerationRequest, RerankRequest } from '../../canonical/forwarded.ts';
import type { CanonicalRequest, Operation } from '../../canonical/operation.ts';
import { chatTextRuns } from './chat-text-runs.ts';
import { rewriteRequestDefinitions } from './request-definitions.ts';

type Rewrite = (text: string) => string;

/** How texts are rewritten: a text read on its own, and a run of texts the model reads back to back (each one's rewrite, in order). */
export interface TextRewriter {
  text: Rewrite;
  run(texts: readonly string[]): readonly string[];
  /** A text of the tool definitions or the response format (request-definitions.ts); `text` when not given. */
  definition?: Rewrite;
}

/** Rewrites every string inside a JSON value (tool arguments keep their structure). */
function rewriteJsonStrings(value: unknown, rewrite: Rewrite): { value: unknown; changed: boolean } {
  if (typeof value === 'string') {
    const next = rewrite(value);
    return { value: next, changed: next !== value };
  }
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const result = rewriteJsonStrings(item, rewrite);
      changed ||= result.changed;
      return result.value;
    });
    return { value: items, changed };
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const result = rewriteJsonStrings(item, rewrite);
      changed ||= result.changed;
      return [key, result.value] as const;
    });
    return { value: Object.fromEntries(entries), changed };
  }
  return { value, changed: false };
}

/** Tool call arguments are a JSON string: rewrite its strings, or the raw text if it is not JSON. */
export function rewriteArguments(argumentsText: string, rewrite: Rewrite): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch {
    return rewrite(argumentsText);
  }
  const result = rewriteJsonStrings(parsed, rewrite);
  return result.changed ? JSON.stringify(result.value) : argumentsText;
}

/**
 * Rewrites a chat request's texts run by run (chat-text-runs.ts): a run of one text (the usual
 * message) is rewritten alone, a run of several as texts read back to back.
 */
function rewriteChatTexts(messages: readonly ChatMessage[], rewriter: TextRewriter): boolean {
  let changed = false;
  for (const run of chatTextRuns(messages)) {
    if (run.length === 1) {
      const [entry] = run;
      const next = entry.arguments ? rewriteArguments(entry.text, rewriter.text) : rewriter.text(entry.text);
      if (next !== entry.text) {
        entry.write(next);
        changed = true;
      }
      continue;
    }
    const next = rewriter.run(run.map((entry) => entry.text));
    run.forEach((entry, index) => {
      if (next[index] === entry.text) return;
      entry.write(next[index]);
      changed = true;
    });
  }
  return changed;
}

/**
 * A chat request's predicted output (`prediction.content`, text the model echoes where it matches):
 * a text, or text parts read back to back as a run.
 */
function rewritePrediction(request: ChatRequest, rewriter: TextRewriter): boolean {
  const prediction = request.prediction as { content?: unknown } | null | undefined;
  if (prediction === null || typeof prediction !== 'object') return false;
  const content = prediction.content;
  if (typeof content === 'string') {
    const next = rewriter.text(content);
    if (next !== content) prediction.content = next;
    return next !== content;
  }
  if (!Array.isArray(content)) return false;
  const parts = content.filter((part): part is { text: string } => part !== null && typeof part === 'object' && typeof part.text === 'string');
  if (parts.length === 0) return false;
  const texts = parts.map((part) => part.text);
  const next = parts.length === 1 ? [rewriter.text(texts[0])] : rewriter.run(texts);
  let changed = false;
  parts.forEach((part, index) => {
    if (next[index] === part.text) return;
    part.text = next[index];
    changed = true;
  });
  return changed;
}

function rewriteStrings(input: unknown, rewrite: Rewrite): { value: unknown; changed: boolean } {
  if (typeof input === 'string') {
    const next = rewrite(input);
    return { value: next, changed: next !== input };
  }
  if (Array.isArray(input) && input.every((item) => typeof item === 'string')) {
    const next = input.map(rewrite);
    return { value: next, changed: next.some((item, index) => item !== input[index]) };
  }
  return { value: input, changed: false };
}

/** A moderation's input: a string, strings, or text and image parts (the text parts are rewritten). */
function rewriteModerationInput(request: ModerationRequest, rewrite: Rewrite): boolean {
  const input = request.input;
  if (Array.isArray(input) && input.some((item) => typeof item !== 'string')) {
    let changed = false;
    for (const part of input) {
      if (typeof part !== 'object' || part === null || part.type !== 'text' || typeof part.text !== 'string') continue;
      const next = rewrite(part.text);
      if (next !== part.text) {
        part.text = next;
        changed = true;
      }
    }
    return changed;
  }
  const result = rewriteStrings(input, rewrite);
  if (result.changed) request.input = result.value as ModerationRequest['input'];
  return result.changed;
}

/** A rerank's query and its documents' texts (strings, or the `text` of document objects). */
function rewriteRerankTexts(request: RerankRequest, rewrite: Rewrite): boolean {
  const query = rewrite(request.query);
  let changed = query !== request.query;
  request.query = query;
  const documents = request.documents;
  for (let index = 0; index < documents.length; index++) {
    const document = documents[index];
    if (typeof document === 'string') {
      const next = rewrite(document);
      if (next !== document) {
        documents[index] = next;
        changed = true;
      }
    } else if (typeof document.text === 'string') {
      const next = rewrite(document.text);
      if (next !== document.text) {
        document.text = next;
        changed = true;
      }
    }
  }
  return changed;
}

/**
 * Rewrites every text the model will read — message content (all text parts, every role, so
 * tool results too; texts read back to back as runs: chat-text-runs.ts) and text files (file parts
 * whose data URL is text/*, JSON or XML), reasoning, an assistant's refusal, tool call arguments;
 * the predicted output; the tool definitions and a json_schema response format
 * (request-definitions.ts); the completions prompt; embedding inputs; a moderation's input; a
 * rerank's query and documents — in place. Returns true when anything changed. The other
 * forwarded operations (images, audio) are not scanned.
 */
export function rewriteRequestTexts(operation: Operation, body: CanonicalRequest, rewriter: TextRewriter): boolean {
  const rewrite = rewriter.text;
  switch (operation) {
    case 'chat': {
      const request = body as ChatRequest;
      const messages = rewriteChatTexts(request.messages ?? [], rewriter);
      const prediction = rewritePrediction(request, rewriter);
      // Tool definitions and a response format's schema: texts of their own, each distinct one once.
      return rewriteRequestDefinitions(request, rewriter.definition ?? rewrite) || messages || prediction;
    }
    case 'completions': {
      const request = body as CompletionRequest;
      const result = rewriteStrings(request.prompt, rewrite);
      if (result.changed) request.prompt = result.value as CompletionRequest['prompt'];
      return result.changed;
    }
    case 'embeddings': {
      const request = body as EmbeddingRequest;
      const result = rewriteStrings(request.input, rewrite);
      if (result.changed) request.input = result.value as EmbeddingRequest['input'];
      return result.changed;
    }
    case 'moderations':
      return rewriteModerationInput(body as ModerationRequest, rewrite);
    case 'rerank':
      return rewriteRerankTexts(body as RerankRequest, rewrite);
    default:
      return false;
  }
}
