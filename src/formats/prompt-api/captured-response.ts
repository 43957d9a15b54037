import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * What the pipeline writes for one non-streaming call, kept instead of sent. A prompt API runs
 * the ordinary chat pipeline (handleModelRequest writes to a ServerResponse) and then reshapes
 * the chat completion into {"output": ...}; this object implements the part of ServerResponse
 * the pipeline uses for complete JSON replies. Streams are never requested through it.
 */
export class CapturedResponse extends EventEmitter {
  statusCode = 0;
  headers: Record<string, string> = {};
  readonly #chunks: Buffer[] = [];
  headersSent = false;
  writableFinished = false;
  readonly #client: ServerResponse;

  /** `client` is the real response: when the caller goes away, the captured one counts as destroyed too. */
  constructor(client: ServerResponse) {
    super();
    this.#client = client;
  }

  get destroyed(): boolean {
    return this.#client.destroyed;
  }

  setHeader(name: string, value: number | string | readonly string[]): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  writeHead(status: number, headers?: Record<string, string | number | readonly string[]>): this {
    this.statusCode = status;
    for (const [name, value] of Object.entries(headers ?? {})) this.setHeader(name, value);
    this.headersSent = true;
    return this;
  }

  flushHeaders(): void {
    this.headersSent = true;
  }

  write(data: string | Uint8Array): boolean {
    this.#chunks.push(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data));
    return true;
  }

  end(data?: string | Uint8Array): this {
    if (data !== undefined) this.write(data);
    this.headersSent = true;
    this.writableFinished = true;
    this.emit('finish');
    return this;
  }

  /** The body as text. */
  text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }

  /** Typed as the ServerResponse the pipeline takes. */
  asServerResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}
