import { readFileSync } from 'node:fs';
import type { GeminiResponseContext } from '../../../src/providers/gemini/convert-gemini-response.ts';

/** Raw bytes of a recorded Gemini fixture (test/fixtures/gemini/). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/gemini/${name}`, import.meta.url));
}

/** A fixture parsed as JSON. */
export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** A deterministic response context: ids call_0, call_1, ... */
export function testContext(model = 'gemini-2.5-flash'): GeminiResponseContext {
  return { id: 'chatcmpl-test', model, created: 1_700_000_000, makeToolCallId: (index) => `call_${index}` };
}

/** The thought signature recorded in the tool-call fixtures. */
export const recordedSignature = 'CikB0e2Kb7mHcJ9cQw4c3rT+v2X/4YkPq1aN0f8bX6h3u2kq8Xz0Ylw1EmIB0e2Kb4K9sDf3Wq==';
