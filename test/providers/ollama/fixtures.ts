import { readFileSync } from 'node:fs';
import type { OllamaResponseContext } from '../../../src/providers/ollama/convert-ollama-response.ts';

/** Raw bytes of an Ollama fixture (test/fixtures/ollama/). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/ollama/${name}`, import.meta.url));
}

/** A fixture parsed as JSON. */
export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** A deterministic response context: ids call_0, call_1, ... */
export function testContext(model = 'llama3.2'): OllamaResponseContext {
  return { id: 'chatcmpl-test', model, created: 1_700_000_000, makeToolCallId: (index) => `call_${index}` };
}
