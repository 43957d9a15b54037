import type { FinishReason } from '../../canonical/chat.ts';
import type { ResponsesResponse } from './responses-api.ts';

/**
 * A canonical finish_reason as a Response's status: an answer cut by the token limit or a
 * content filter is `incomplete`, with the reason; anything else (stop, tool calls, or a stream
 * that ended without a reason) is `completed`.
 */
export function mapToResponsesStatus(reason: FinishReason | string | null | undefined): Pick<ResponsesResponse, 'status' | 'incomplete_details'> {
  switch (reason) {
    case 'length':
      return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
    case 'content_filter':
      return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
    default:
      return { status: 'completed', incomplete_details: null };
  }
}
