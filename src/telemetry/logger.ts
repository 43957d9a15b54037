import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty' | 'auto';
}

/** Longest a JSON line waits in the buffer before it is written (Envoy flushes its access log every second). */
const logFlushIntervalMs = 250;
/**
 * The most one write to stdout takes: a pipe (a container's stdout) writes up to PIPE_BUF (4 KiB
 * on Linux) at once, so the lines of the workers of `server.workers`, which share it, never
 * interleave mid-line. Lines are gathered until 3 KiB (sonic-boom wants it below the maximum).
 */
const maxWriteBytes = 4096;
const gatherBytes = 3072;

/**
 * The process logger: JSON lines (pino) for machines, or pino-pretty for terminals. Secrets are
 * never passed to it; as a second line of defence, credential-looking fields are redacted.
 *
 * JSON lines go to stdout through a buffer: one write per 3-4 KiB or per 250 ms, whichever comes
 * first, instead of one blocking write per line (with the access log on, that write per request
 * cost more than the rest of the log line). A normal exit, a crash that reaches Node's 'exit'
 * event and a graceful stop write what is buffered; a SIGKILL loses at most the last 250 ms.
 */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true);
  const redact = { paths: ['apiKey', 'api_key', 'authorization', '*.apiKey', '*.api_key', '*.authorization', 'headers.authorization', 'headers["x-api-key"]', 'headers["api-key"]'], censor: '[redacted]' };
  if (pretty) {
    return pino({ level: options.level, redact, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  const destination = pino.destination({ dest: 1, sync: false, minLength: gatherBytes, maxWrite: maxWriteBytes });
  let buffered = false;
  const logger = pino(
    {
      level: options.level,
      redact,
      base: { pid: process.pid },
      hooks: {
        streamWrite(line) {
          buffered = true;
          return line;
        },
      },
    },
    destination,
  );
  setInterval(() => {
    if (!buffered) return;
    buffered = false;
    try {
      destination.flush();
    } catch {
      // Closed at exit, or stdout gone (EPIPE): nothing left to write to.
    }
  }, logFlushIntervalMs).unref();
  return logger;
}

/**
 * A logger for lines whose fields are all chosen by the gateway and never hold a secret (the
 * access log): no redaction pass, which otherwise doubles the cost of every line.
 */
export function unredactedLogger(logger: Logger): Logger {
  return logger.child({}, { redact: [] });
}

/**
 * Exits with `code` once the buffered log lines are written (createLogger's buffer), or after 2 s
 * if stdout does not take them. process.exit() right after a log call could lose the write in
 * flight.
 */
export function exitAfterLogs(logger: Logger, code: number): void {
  process.exitCode = code;
  const exit = () => process.exit(code);
  setTimeout(exit, 2000).unref();
  try {
    logger.flush(() => exit());
  } catch {
    exit();
  }
}
