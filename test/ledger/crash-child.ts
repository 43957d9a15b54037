// A gateway in its own process for the kill -9 test: prints its port, then serves until killed.
import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';
import { echoPricing } from './ledger-helpers.ts';

const [storage, flushInterval] = process.argv.slice(2);
const gateway = await Gateway.start({
  configText: `usage: { flush_interval: ${flushInterval} }\nadmin: { enabled: false }\n${echoPricing}`,
  env: {},
  port: 0,
  logger: pino({ level: 'silent' }),
  storage,
});
process.stdout.write(`${JSON.stringify({ port: gateway.port })}\n`);
