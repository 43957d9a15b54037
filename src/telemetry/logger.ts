import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty' | 'auto';
}

/**
 * The process logger: JSON lines (pino) for machines, or pino-pretty for terminals. Secrets are
 * never passed to it; as a second line of defence, credential-looking fields are redacted.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true);
  const redact = { paths: ['apiKey', 'api_key', 'authorization', '*.apiKey', '*.api_key', '*.authorization', 'headers.authorization', 'headers["x-api-key"]', 'headers["api-key"]'], censor: '[redacted]' };
  if (pretty) {
    return pino({ level: options.level, redact, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino({ level: options.level, redact, base: { pid: process.pid } });
}
