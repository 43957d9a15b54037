import cluster, { type Worker } from 'node:cluster';

/**
 * Admin API writes seen at once by every `server.workers` process of a node. Only worker 1 runs
 * the Admin API; the other workers used to learn of its writes through their one-second poll of
 * the store, so for up to a second after `POST /keys` some requests to the same node got 401, and
 * after `DELETE /keys/{id}` some were still let through. Now worker 1, once a write is committed,
 * announces it to the primary, which asks every other worker to reread the store (identity and
 * credentials) and answers once all have, or after `siblingAnswerTimeoutMs`; only then does the
 * Admin API answer. Announcements go over the cluster's IPC channel, like the metrics
 * (telemetry/cluster-metrics.ts); nothing of this runs on the data plane's request path.
 */
const readyType = 'tollgate:store-changes-ready';
const announceType = 'tollgate:store-changed';
const announcedType = 'tollgate:store-changed-answer';
const refreshType = 'tollgate:store-refresh';
const refreshedType = 'tollgate:store-refreshed';

interface Announce {
  type: typeof announceType;
  id: number;
}

interface Announced {
  type: typeof announcedType;
  id: number;
  /** Process ids of the workers that did not confirm in time (they apply the change with their next poll). */
  late: number[];
}

interface Refresh {
  type: typeof refreshType;
  id: string;
}

interface Refreshed {
  type: typeof refreshedType;
  id: string;
}

/** How long the primary waits for a worker to confirm that it reread the store (a store query). */
export const siblingAnswerTimeoutMs = 3000;

/** In the primary: relays a worker's announcement of a store write to every other worker and answers once they applied it. */
export function relayStoreChanges(timeoutMs = siblingAnswerTimeoutMs): void {
  /** Workers that listen for announcements (a worker starting has not registered its listener yet: it would never answer). */
  const listening = new Set<number>();
  const pending = new Map<string, () => void>();
  let nextId = 0;

  const askToRefresh = (worker: Worker): Promise<boolean> =>
    new Promise((resolve) => {
      const id = `${worker.id}:${nextId++}`;
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (confirmed: boolean) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(confirmed);
      };
      pending.set(id, () => finish(true));
      worker.send({ type: refreshType, id } satisfies Refresh);
    });

  cluster.on('message', (worker, message: { type?: unknown } | null) => {
    if (message?.type === readyType) return void listening.add(worker.id);
    if (message?.type === refreshedType) return pending.get((message as Refreshed).id)?.();
    if (message?.type !== announceType) return;
    const { id } = message as Announce;
    const siblings = Object.values(cluster.workers ?? {}).filter((sibling): sibling is Worker => sibling !== undefined && sibling !== worker && sibling.isConnected() && listening.has(sibling.id));
    void Promise.all(siblings.map((sibling) => askToRefresh(sibling))).then((confirmed) => {
      const late = siblings.filter((_, index) => !confirmed[index]).map((sibling) => sibling.process.pid ?? 0);
      if (worker.isConnected()) worker.send({ type: announcedType, id, late } satisfies Announced);
    });
  });
  cluster.on('exit', (worker) => {
    listening.delete(worker.id);
    // Nothing to wait for from a worker that is gone (its replacement loads the store whole).
    for (const [id, confirm] of pending) if (id.startsWith(`${worker.id}:`)) confirm();
  });
}

export interface WorkerStoreChanges {
  /**
   * After a committed Admin API write: resolves once every other worker of the node reread the
   * store, with the process ids of those that did not confirm in time (null: the primary did not
   * answer); those apply the write with their next poll, within about a second.
   */
  announce(): Promise<number[] | null>;
  /** Once the gateway serves: rereads the store now if a write was announced while it started, then on every announcement. */
  serve(refresh: () => Promise<void>): Promise<void>;
}

/**
 * In a worker, before its gateway starts: listens for the primary's requests to reread the store
 * and tells the primary so. An announcement that arrives while the gateway is still starting is
 * answered at once and applied as soon as it serves (serve): the keys it loaded may predate it.
 */
export function joinStoreChanges(timeoutMs = siblingAnswerTimeoutMs + 2000): WorkerStoreChanges {
  let refresh: (() => Promise<void>) | null = null;
  let missed = false;
  const confirm = (id: string) => process.send?.({ type: refreshedType, id } satisfies Refreshed);
  process.on('message', (message: { type?: unknown } | null) => {
    if (message?.type !== refreshType) return;
    const { id } = message as Refresh;
    if (refresh === null) {
      missed = true;
      return void confirm(id);
    }
    // A store that cannot answer is the poll's to report; the primary must not wait for it longer than its timeout anyway.
    refresh().then(
      () => confirm(id),
      () => confirm(id),
    );
  });
  process.send?.({ type: readyType });
  let nextId = 0;
  return {
    announce: () => {
      if (!process.connected) return Promise.resolve(null);
      const id = nextId++;
      return new Promise<number[] | null>((resolve) => {
        const onMessage = (message: Announced | null) => {
          if (message?.type === announcedType && message.id === id) finish(message.late);
        };
        const timer = setTimeout(() => finish(null), timeoutMs);
        const finish = (late: number[] | null) => {
          clearTimeout(timer);
          process.off('message', onMessage);
          resolve(late);
        };
        process.on('message', onMessage);
        process.send?.({ type: announceType, id } satisfies Announce);
      });
    },
    serve: async (refreshStore) => {
      refresh = refreshStore;
      if (missed) await refreshStore().catch(() => undefined);
    },
  };
}
