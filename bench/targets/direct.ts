import { shapePrefix } from '../runner/profile.ts';
import { chatBody, type RequestKind, type RunningTarget, type TargetContext } from './target.ts';

/** No gateway: the load generator talks to the stand-in upstream itself. The baseline of every overhead. */
export function startDirect(context: TargetContext): Promise<RunningTarget> {
  const { profile } = context;
  const prefixes: Record<RequestKind, string> = { chat: '', stream: shapePrefix(profile.streams.shape), 'many-streams': shapePrefix(profile.manyStreams.shape) };
  return Promise.resolve({
    pid: null,
    request: (kind) => ({ origin: context.upstreamUrl, path: `${prefixes[kind]}/v1/chat/completions`, headers: { authorization: 'Bearer bench' }, body: chatBody('gpt-4o-mini', kind !== 'chat'), stream: kind !== 'chat' }),
    diagnostics: () => '',
    gone: () => null,
    stop: () => Promise.resolve(),
  });
}
