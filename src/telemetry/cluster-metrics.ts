import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/**
 * Metrics of every `server.workers` process at one /metrics. Worker 1 runs the Admin listener;
 * on a scrape it asks the primary, which collects each worker's registry over the cluster's IPC
 * channel (prom-client's AggregatorRegistry: counters and histograms summed, gauges as each
 * metric declares) and answers with the exposition text.
 */
const askType = 'tollgate:cluster-metrics';
const answerType = 'tollgate:cluster-metrics-answer';

interface Ask {
  type: typeof askType;
  id: number;
}

interface Answer {
  type: typeof answerType;
  id: number;
  text?: string;
  error?: string;
}

/** In the primary: answers a worker's request for the whole cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Ask) => {
    if (message?.type !== askType) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: answerType, id: message.id, ...answer } satisfies Answer);
    };
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

/**
 * In a worker: lets the primary read this process's registry, and returns how to read the whole
 * cluster's metrics (through the primary). A scrape the primary cannot answer in time gets this
 * worker's own metrics, saying so in a comment line.
 */
export function shareClusterMetrics(registry: Registry, timeoutMs = 6000): () => Promise<string> {
  new AggregatorRegistry(); // installs prom-client's worker-side listener
  AggregatorRegistry.setRegistries([registry]);
  let nextId = 0;
  return async () => {
    const id = nextId++;
    const answer = await new Promise<Answer | null>((resolve) => {
      const onMessage = (message: Answer) => {
        if (message?.type !== answerType || message.id !== id) return;
        finish(message);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (value: Answer | null) => {
        clearTimeout(timer);
        process.off('message', onMessage);
        resolve(value);
      };
      process.on('message', onMessage);
      process.send?.({ type: askType, id } satisfies Ask);
    });
    if (answer?.text !== undefined) return answer.text;
    const reason = answer?.error ?? 'the primary did not answer in time';
    return `# tollgate: the metrics of the other workers are missing (${reason}); these are worker ${process.env.TOLLGATE_WORKER_INDEX ?? '?'}'s only\n${await registry.metrics()}`;
  };
}
