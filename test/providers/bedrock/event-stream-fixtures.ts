import { readFileSync } from 'node:fs';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/** One frame of a stream fixture, as AWS documents the ConverseStream events and exceptions. */
export interface FixtureFrame {
  /** 'event' (default) or 'exception'. */
  messageType?: 'event' | 'exception';
  eventType?: string;
  exceptionType?: string;
  payload: unknown;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function text(value: string): { type: 'string'; value: string } {
  return { type: 'string', value };
}

/** Encodes frames as a real AWS event stream (preludes, headers, CRCs), the bytes ConverseStream sends. */
export function encodeEventStream(frames: FixtureFrame[]): Buffer {
  return Buffer.concat(
    frames.map((frame) => {
      const headers: MessageHeaders = { ':content-type': text('application/json'), ':message-type': text(frame.messageType ?? 'event') };
      if (frame.messageType === 'exception') headers[':exception-type'] = text(String(frame.exceptionType));
      else headers[':event-type'] = text(String(frame.eventType));
      return codec.encode({ headers, body: fromUtf8(JSON.stringify(frame.payload)) });
    }),
  );
}

const fixturesRoot = new URL('../../fixtures/bedrock/', import.meta.url);

/** Raw bytes of a fixture under test/fixtures/bedrock/. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, fixturesRoot));
}

/** A fixture parsed as JSON. */
export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

/** The stream fixtures: streams/<name>.json (readable frames) and streams/<name>.bin (the same frames, encoded). */
export const streamFixtureNames = ['text', 'tool-use', 'reasoning', 'json-tool', 'json-text', 'stop-sequence', 'exception-midway'] as const;

/** A stream fixture's binary bytes, as the stand-in serves them. */
export function streamBytes(name: (typeof streamFixtureNames)[number]): Buffer {
  return fixtureBytes(`streams/${name}.bin`);
}

/** A stream fixture's frames, as written in its JSON source. */
export function streamFrames(name: (typeof streamFixtureNames)[number]): FixtureFrame[] {
  return fixtureJson<FixtureFrame[]>(`streams/${name}.json`);
}
