import { standInRequests, type RunningTarget, type TargetContext } from './target.ts';

/** No gateway: the load generator talks to the stand-in upstream itself. The baseline of every overhead. */
export function startDirect(context: TargetContext): Promise<RunningTarget> {
  return Promise.resolve({
    pid: null,
    request: standInRequests(context.upstreamUrl, context.profile),
    diagnostics: () => '',
    gone: () => null,
    stop: () => Promise.resolve(),
  });
}
