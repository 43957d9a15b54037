import { randomUUID } from 'node:crypto';

/** A new id in OpenAI's style: `resp_…` responses, `msg_…` messages, `fc_…` function calls, `rs_…` reasoning. */
export function responsesId(prefix: 'resp' | 'msg' | 'fc' | 'rs'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}
