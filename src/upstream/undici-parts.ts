import { createRequire } from 'node:module';
import type { Agent as AgentClass, errors as ErrorClasses } from 'undici';

// The parts of undici the gateway uses, loaded from their own files instead of undici's
// index, which also loads fetch, WebSocket, the cache and mock agents and, through them, Node's
// bundled copy of undici: ~14 MiB of resident memory in every gateway process for code it never
// runs. The paths are undici's internal layout, so package.json pins undici's exact version and
// test/core/undici-parts.test.ts checks that they are still what undici's index exports.
const require = createRequire(import.meta.url);

export const Agent = require('undici/lib/dispatcher/agent.js') as typeof AgentClass;
export const undiciErrors = require('undici/lib/core/errors.js') as typeof ErrorClasses;

/** undici's internal keys for a client's socket and a socket's HTTP/1.1 parser (informational-answers.ts). */
export const undiciSymbols = require('undici/lib/core/symbols.js') as { readonly kSocket: symbol; readonly kParser: symbol };
