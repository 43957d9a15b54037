import type { RequestShape } from '../load/load-job.ts';
import type { Pinning } from '../runner/processes.ts';
import { shapePrefix, type Profile } from '../runner/profile.ts';
import type { StartCommand } from './tollgate.ts';

/** What the load generator sends: a chat completion, or a stream for one of the two stream loads. */
export type RequestKind = 'chat' | 'stream' | 'many-streams';

/** What a target needs to start. */
export interface TargetContext {
  repoRoot: string;
  /** The stand-in upstream, http://127.0.0.1:PORT (no path). */
  upstreamUrl: string;
  profile: Profile;
  pinning: Pinning;
  /** When set, Tollgate targets run with --cpu-prof and write their profile here. */
  cpuProfileDir: string | null;
  /** How Tollgate targets start: by default as `npm start` does (package.json), or with --node-flags. */
  tollgate: StartCommand;
}

/** A target that is up and answering. */
export interface RunningTarget {
  /** The measured process (gateway or peer); null for `direct`, whose process is the shared upstream. */
  pid: number | null;
  request(kind: RequestKind): RequestShape;
  /** What the process logged last (errors), to explain a failed probe. */
  diagnostics(): string;
  /** Why the target is gone (it exited during the run), or null while it runs. */
  gone(): string | null;
  stop(): Promise<void>;
}

const messages = [
  { role: 'system', content: 'You are a concise assistant.' },
  { role: 'user', content: 'Write one short sentence about benchmarks.' },
];

/** The chat request body every target gets (the model name is the target's way of naming the stand-in). */
export function chatBody(model: string, stream: boolean): string {
  return JSON.stringify(stream ? { model, messages, max_tokens: 64, stream: true, stream_options: { include_usage: true } } : { model, messages, max_tokens: 64 });
}

/** The same request for OpenAI's Responses API (`/v1/responses`): the system message as instructions. */
export function responsesBody(model: string, stream: boolean): string {
  return JSON.stringify({ model, instructions: messages[0].content, input: messages[1].content, max_output_tokens: 64, ...(stream ? { stream: true } : {}) });
}

/** The stand-in's path prefix per request kind (it picks a stream's shape from the path). */
export function shapePrefixes(profile: Profile): Record<RequestKind, string> {
  return { chat: '', stream: shapePrefix(profile.streams.shape), 'many-streams': shapePrefix(profile.manyStreams.shape) };
}

/** The stand-in's own requests, sent to `origin`: the stand-in itself, or a proxy that passes paths through untouched. */
export function standInRequests(origin: string, profile: Profile): (kind: RequestKind) => RequestShape {
  const prefixes = shapePrefixes(profile);
  return (kind) => ({ origin, path: `${prefixes[kind]}/v1/chat/completions`, headers: { authorization: 'Bearer bench' }, body: chatBody('gpt-4o-mini', kind !== 'chat'), stream: kind !== 'chat' });
}
