import { createHash, randomUUID } from 'node:crypto';

export type ResponsesIdPrefix = 'resp' | 'msg' | 'fc' | 'rs';

/** A new id in OpenAI's style: `resp_…` responses, `msg_…` messages, `fc_…` function calls, `rs_…` reasoning. */
export function responsesId(prefix: ResponsesIdPrefix): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}

/** Makes the ids of a Response and its items, in responsesId's shape. */
export type ResponsesIds = (prefix: ResponsesIdPrefix, part?: number) => string;

/**
 * The ids of the Response written from one canonical answer, derived from the answer's own id and
 * `created`: the same answer always reads the same (a cache hit replays the stored answer, so it
 * keeps its Response id as a chat or Anthropic client's hit keeps its id), and every other
 * answer gets other ids. `part` tells several items of one kind apart (function calls). Random
 * ids when the answer has no id.
 */
export function responsesIdsFor(answerId: unknown, created: unknown): ResponsesIds {
  if (typeof answerId !== 'string' || answerId === '') return responsesId;
  const seed = `${answerId}\u0000${typeof created === 'number' ? created : ''}`;
  return (prefix, part = 0) => `${prefix}_${createHash('sha256').update(`${prefix}:${part}:${seed}`).digest('hex').slice(0, 32)}`;
}
