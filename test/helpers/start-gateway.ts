import pino from 'pino';
import { Gateway } from '../../src/gateway/gateway.ts';

export interface RunningGateway {
  gateway: Gateway;
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:PORT/v1, for SDK clients. */
  baseURL: string;
  adminUrl: string;
  close(): Promise<void>;
}

/**
 * Starts a real gateway on ephemeral ports with an inline YAML config. The environment is only
 * what the test passes (zero-config reads it), so the machine's own keys never leak in. The
 * store is an in-memory SQLite database unless `options.storage` names another. With
 * `options.logLines`, every log line (the access log's among them) is parsed into that array.
 */
export async function startGateway(
  configText: string,
  env: NodeJS.ProcessEnv = {},
  options: { logLevel?: string; configPath?: string; storage?: string; logLines?: Array<Record<string, unknown>> } = {},
): Promise<RunningGateway> {
  const lines = options.logLines;
  const level = options.logLevel ?? (lines ? 'info' : (process.env.TOLLGATE_TEST_LOG ?? 'silent'));
  const logger = lines ? pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) }) : pino({ level });
  const gateway = await Gateway.start({
    configText: options.configPath ? undefined : configText,
    configPath: options.configPath,
    env,
    port: 0,
    adminPort: 0,
    logger,
    // Each test gateway gets its own throw-away store unless the test names one.
    storage: options.storage ?? 'sqlite::memory:',
  });
  const url = `http://127.0.0.1:${gateway.port}`;
  return { gateway, url, baseURL: `${url}/v1`, adminUrl: `http://127.0.0.1:${gateway.adminPort}`, close: () => gateway.stop(2000) };
}
