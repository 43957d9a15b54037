import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from '../errors/catalogue.ts';
import { rawErrorAnswer } from './client-error.ts';

/**
 * A CONNECT request (a proxy tunnel), which neither listener serves: Node hands it to a 'connect'
 * listener, or without one drops the connection with no answer. It gets the 405 every other
 * method a path does not take gets, as OpenAI's error object, and the connection closes.
 */
export function refuseConnect(request: IncomingMessage, socket: Duplex): void {
  const error = errors.methodNotAllowed('CONNECT', request.url ?? '');
  if (socket.writable && !socket.destroyed) socket.end(rawErrorAnswer(error, randomUUID()));
  socket.destroy();
}
