import { createRequire } from 'node:module';

// node:http through require, not `import`: an ES import of a built-in module copies all of its
// exports, and node:http's `WebSocket`, `CloseEvent` and `MessageEvent` are getters that load
// Node's own copy of undici, ~13 MiB of resident memory that the gateway never uses.
const require = createRequire(import.meta.url);
const http = require('node:http') as typeof import('node:http');

export const createServer = http.createServer;
