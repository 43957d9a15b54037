import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between a gateway and PostgreSQL that a test can break the ways a network and a
 * database host do, without touching the shared server:
 * - `cut()`: every connection is reset (RST), new ones are reset as they arrive (a restart, a
 *   failover, a reset from a load balancer);
 * - `blackhole()`: nothing passes any more, either way, on open connections or new ones (the
 *   host vanished, a partition): TCP stays up, so only a timeout can tell;
 * - `heal()`: new connections pass again; the blackholed ones stay silent, as they do after a
 *   partition heals or a host reboots (the client sends nothing, so it never gets the RST);
 * - `restore()`: everything passes again, blackholed connections included (reset: they lost bytes).
 */
export interface PgProxy {
  port: number;
  /** The database URL through the proxy, with extra query parameters. */
  urlFor(databaseUrl: string, parameters?: Record<string, string>): string;
  cut(): void;
  blackhole(): void;
  heal(): void;
  restore(): void;
  /** Connections open through the proxy (passing or silent). */
  readonly open: number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  server: Socket | null;
  silent: boolean;
}

export async function startPgProxy(target: { host: string; port: number }): Promise<PgProxy> {
  let mode: 'pass' | 'cut' | 'blackhole' = 'pass';
  const pairs = new Set<Pair>();
  const reset = (pair: Pair) => {
    pair.client.resetAndDestroy();
    pair.server?.resetAndDestroy();
    pairs.delete(pair);
  };
  const server: Server = createServer((client) => {
    const pair: Pair = { client, server: null, silent: mode === 'blackhole' };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pair.server?.destroy();
      pairs.delete(pair);
    });
    if (mode === 'cut') return reset(pair);
    const upstream = connect(target.port, target.host);
    pair.server = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    // Silent pairs swallow what either side sends (reading it keeps TCP windows open, as a
    // dropping network would not; what matters is that no byte arrives).
    client.on('data', (chunk: Buffer) => {
      if (!pair.silent) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.silent) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    urlFor(databaseUrl, parameters = {}) {
      const url = new URL(databaseUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
      return url.toString();
    },
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) reset(pair);
    },
    blackhole() {
      mode = 'blackhole';
      for (const pair of pairs) pair.silent = true;
    },
    heal() {
      mode = 'pass';
    },
    restore() {
      mode = 'pass';
      for (const pair of [...pairs]) if (pair.silent) reset(pair);
    },
    get open() {
      return pairs.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of [...pairs]) reset(pair);
        server.close(() => resolve());
      }),
  };
}
