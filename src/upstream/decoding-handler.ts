import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { errors } from '../errors/catalogue.ts';

/** What one dispatched attempt does with its response (UpstreamClient.#dispatch). */
export interface AttemptHandler {
  start(controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>): void;
  data(chunk: Buffer): void;
  end(): void;
  /** The attempt failed: before the headers or after them (may be called again after the first time). */
  fail(error: unknown): void;
}

/** The content codings a provider's answer is decoded from (node:zlib), by their HTTP names. */
const decoders: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  // HTTP's deflate is the zlib format (RFC 9110 8.4.1.2).
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/**
 * An attempt handler that decodes a compressed answer (gzip, deflate, br) as it arrives, for a
 * provider that compresses although every call asks for `accept-encoding: identity`: the reader
 * gets the decoded bytes, and headers without Content-Encoding and Content-Length. The decoder
 * is paused with the body (a slow client slows the provider, as without a coding), so a small
 * compressed piece that decodes to much is not all decoded at once. A coding the gateway cannot
 * decode (several stacked, zstd, an unknown one) or bytes that do not decode fail the call as
 * upstream_bad_response; encoded bytes never reach a client without their header.
 */
export interface DecodingHandler extends AttemptHandler {
  /** The call was aborted: decode no more (the response may already have ended for undici). */
  stop(): void;
}

export function decodingHandler(handler: AttemptHandler, coding: string | string[], provider: string): DecodingHandler {
  const name = (Array.isArray(coding) ? coding.join(',') : coding).trim().toLowerCase();
  const make = decoders[name];
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    handler.fail(error);
  };
  if (make === undefined) {
    return {
      start(controller) {
        fail(errors.upstreamBadResponse(provider, `the response is encoded with '${name}', which the gateway does not decode`));
        controller.abort(new Error('unsupported content coding'));
      },
      data() {},
      end() {},
      fail,
      stop() {},
    };
  }
  let decoder: Transform | null = null;
  return {
    start(controller, status, headers) {
      const { 'content-encoding': _coding, 'content-length': _length, ...rest } = headers;
      decoder = make();
      const stream = decoder;
      stream.on('data', (chunk: Buffer) => {
        if (!failed) handler.data(chunk);
      });
      stream.on('end', () => {
        if (!failed) handler.end();
      });
      stream.on('error', (error: Error) => {
        fail(errors.upstreamBadResponse(provider, `the ${name}-encoded body does not decode (${error.message})`));
        if (!controller.aborted) controller.abort(error);
      });
      const paced: Dispatcher.DispatchController = {
        get aborted() {
          return controller.aborted;
        },
        get paused() {
          return controller.paused;
        },
        get reason() {
          return controller.reason;
        },
        // The decoder stops with the call: it may hold much more than it was given (a small
        // compressed answer arrived whole decodes on after the response has ended for undici).
        abort: (reason) => {
          stream.destroy();
          controller.abort(reason);
        },
        pause: () => {
          stream.pause();
          controller.pause();
        },
        resume: () => {
          controller.resume();
          stream.resume();
        },
      };
      handler.start(paced, status, rest);
    },
    data(chunk) {
      if (!failed) decoder?.write(chunk);
    },
    end() {
      if (!failed) decoder?.end();
    },
    fail(error) {
      decoder?.destroy();
      fail(error);
    },
    stop() {
      decoder?.destroy();
    },
  };
}
