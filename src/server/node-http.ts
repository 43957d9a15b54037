import { createRequire } from 'node:module';

// node:http through require, not `import`: an ES import of a built-in module copies all of its
// exports, and node:http's `WebSocket`, `CloseEvent` and `MessageEvent` are getters that load
// Node's own copy of undici, ~13 MiB of resident memory that the gateway never uses.
const require = createRequire(import.meta.url);
const http = require('node:http') as typeof import('node:http');

export const createServer = http.createServer;
/** Node's reason phrases by status. */
export const statusTexts = http.STATUS_CODES;
/** The most bytes of request line and headers Node's parser takes (--max-http-header-size; 16 KiB by default). */
export const defaultMaxHeaderSize = http.maxHeaderSize;
