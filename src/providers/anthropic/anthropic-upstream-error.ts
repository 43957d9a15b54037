import { GatewayError, type GatewayErrorInit } from '../../errors/gateway-error.ts';

/**
 * An Anthropic error answered to a client that speaks Anthropic's format. Routing, retries and
 * health read it like any GatewayError (Anthropic's 529 is a 503 there, the status retry rules
 * name); the Anthropic client gets what Anthropic sent: its status (529 stays 529, which the SDKs
 * raise as OverloadedError) and its body as it came (`request_id` included), API keys scrubbed.
 */
export class AnthropicUpstreamError extends GatewayError {
  /** The status Anthropic answered with. */
  readonly anthropicStatus: number;
  /** Anthropic's error body, as sent but for scrubbed secrets. */
  readonly anthropicBody: string;

  constructor(init: GatewayErrorInit, anthropicStatus: number, anthropicBody: string) {
    super(init);
    this.anthropicStatus = anthropicStatus;
    this.anthropicBody = anthropicBody;
  }
}
