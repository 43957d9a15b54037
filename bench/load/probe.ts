import { request as send } from 'undici';
import type { ProbeJob, ProbeResult, RequestShape } from './load-job.ts';

async function problemWith(request: RequestShape): Promise<string | null> {
  try {
    const answer = await send(request.origin + request.path, {
      method: 'POST',
      headers: { ...request.headers, 'content-type': 'application/json' },
      body: request.body,
      headersTimeout: 15_000,
      bodyTimeout: 15_000,
    });
    const text = await answer.body.text();
    const start = text.slice(0, 400);
    if (answer.statusCode < 200 || answer.statusCode > 299) return `status ${answer.statusCode}: ${start}`;
    const marker = request.endMarker ?? '[DONE]';
    if (request.stream && !text.includes(marker)) return `the stream ended without ${marker}: ${start}`;
    // A chat completion has choices; a Responses API answer (endMarker set) its output.
    const answerField = request.endMarker === undefined ? '"choices"' : '"output"';
    if (!request.stream && !text.includes(answerField)) return `not an answer (no ${answerField}): ${start}`;
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  }
}

/** One request of each kind, to check a target answers 2xx (and streams end with [DONE] or their endMarker) before measuring it. */
export async function runProbe(job: ProbeJob): Promise<ProbeResult> {
  for (const request of job.requests) {
    const problem = await problemWith(request);
    if (problem !== null) return { kind: 'probe', ok: false, problem: `${request.stream ? 'stream' : 'chat'}: ${problem}` };
  }
  return { kind: 'probe', ok: true, problem: null };
}
