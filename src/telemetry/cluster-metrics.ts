import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, type Aggregator, type Registry } from 'prom-client';

/**
 * Metrics of every `server.workers` process at one /metrics. Worker 1 runs the Admin listener;
 * on a scrape it asks the primary, which asks every worker for its registry (as JSON, over the
 * cluster's IPC channel), combines them metric by metric (clusterAggregatorOf) with prom-client's
 * AggregatorRegistry.aggregate, and answers with the exposition text.
 *
 * A worker that does not answer within `workerTimeoutMs` (stopped, or its event loop blocked)
 * counts with its last answer, and a comment line says which and how old: reporting the other
 * workers' sum alone would make every counter drop, which Prometheus reads as a reset (rate()
 * then shows the whole count as a burst). A worker that exits leaves its last counters and
 * histograms in the sums (its gauges go), so a replaced worker does not reset them either; what it
 * counted after its last answer is lost.
 */
const askType = 'tollgate:cluster-metrics';
const answerType = 'tollgate:cluster-metrics-answer';
const collectType = 'tollgate:worker-metrics';
const collectedType = 'tollgate:worker-metrics-answer';

/** One metric of a registry's getMetricsAsJSON(), as it comes over IPC. */
interface MetricJson {
  name: string;
  type: string;
  aggregator?: Aggregator;
  values: unknown[];
}

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

interface Collect {
  type: typeof collectType;
  id: number;
}

interface Collected {
  type: typeof collectedType;
  id: number;
  metrics?: MetricJson[];
  error?: string;
}

/**
 * Per-process gauges for which a sum across the workers means nothing: a limit every process has
 * (max_fds), how full the fullest is (open_fds), the most recent start (a replaced worker), and
 * event-loop delays (the worst worker's). Counters, histograms, memory sizes, handles and
 * requests in flight add up, and are summed.
 */
const clusterAggregators: Record<string, Aggregator> = {
  process_max_fds: 'max',
  process_open_fds: 'max',
  process_start_time_seconds: 'max',
  nodejs_version_info: 'first',
  nodejs_eventloop_lag_seconds: 'max',
  nodejs_eventloop_lag_min_seconds: 'min',
  nodejs_eventloop_lag_max_seconds: 'max',
  nodejs_eventloop_lag_mean_seconds: 'average',
  nodejs_eventloop_lag_stddev_seconds: 'max',
  nodejs_eventloop_lag_p50_seconds: 'max',
  nodejs_eventloop_lag_p90_seconds: 'max',
  nodejs_eventloop_lag_p99_seconds: 'max',
};

/** How the cluster's /metrics combines one metric of the workers: the table above; a `*_up` gauge is up only where every worker is (min); else the metric's own aggregator (sum by default). */
export function clusterAggregatorOf(metric: { name: string; type: string; aggregator?: Aggregator }): Aggregator {
  const fixed = clusterAggregators[metric.name];
  if (fixed !== undefined) return fixed;
  if (metric.type === 'gauge' && metric.name.endsWith('_up')) return 'min';
  return metric.aggregator ?? 'sum';
}

/** How long the primary waits for a worker's answer before it counts the worker's last one. */
export const workerAnswerTimeoutMs = 3000;

interface LastAnswer {
  metrics: MetricJson[];
  at: number;
}

/** In the primary: answers a worker's request for the whole cluster's metrics. */
export function serveClusterMetrics(workerTimeoutMs = workerAnswerTimeoutMs): void {
  const last = new Map<number, LastAnswer>();
  /** The counters and histograms of the workers that exited, summed into one registry's JSON. */
  let retired: MetricJson[] = [];
  const pending = new Map<string, (metrics: MetricJson[] | null) => void>();
  let nextId = 0;

  const askWorker = (worker: Worker, id: number): Promise<MetricJson[] | null> =>
    new Promise((resolve) => {
      const key = `${worker.id}:${id}`;
      const timer = setTimeout(() => finish(null), workerTimeoutMs);
      const finish = (metrics: MetricJson[] | null) => {
        clearTimeout(timer);
        pending.delete(key);
        resolve(metrics);
      };
      pending.set(key, finish);
      worker.send({ type: collectType, id } satisfies Collect);
    });

  const collect = async (): Promise<string> => {
    const id = nextId++;
    // A worker shares its metrics once it has started (its first answer comes unasked); one still starting has counted nothing.
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && worker.isConnected() && last.has(worker.id));
    const answers = await Promise.all(workers.map((worker) => askWorker(worker, id)));
    const parts: MetricJson[][] = [];
    const notes: string[] = [];
    workers.forEach((worker, index) => {
      const fresh = answers[index];
      if (fresh !== null) return void parts.push(fresh);
      const kept = last.get(worker.id)!;
      parts.push(kept.metrics);
      notes.push(`# tollgate: worker pid ${worker.process.pid} did not answer within ${workerTimeoutMs} ms; its figures are from its last answer, ${Math.round((Date.now() - kept.at) / 1000)} s old`);
    });
    if (retired.length > 0) parts.push(retired);
    const text = await combine(parts).metrics();
    return notes.length === 0 ? text : `${notes.join('\n')}\n${text}`;
  };

  cluster.on('message', (worker, message: Ask | Collected) => {
    if (message?.type === collectedType) {
      if (message.metrics === undefined) return pending.get(`${worker.id}:${message.id}`)?.(null);
      // A late answer still updates the worker's last one.
      last.set(worker.id, { metrics: message.metrics, at: Date.now() });
      pending.get(`${worker.id}:${message.id}`)?.(message.metrics);
      return;
    }
    if (message?.type !== askType) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: answerType, id: message.id, ...answer } satisfies Answer);
    };
    collect().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
  cluster.on('exit', (worker) => {
    const kept = last.get(worker.id);
    last.delete(worker.id);
    if (kept === undefined) return;
    // Its counts stay in the sums, folded into one set so a worker that keeps dying costs no memory.
    const counts = kept.metrics.filter((metric) => metric.type === 'counter' || metric.type === 'histogram');
    void combine([retired, counts].filter((part) => part.length > 0))
      .getMetricsAsJSON()
      .then((metrics) => (retired = metrics as unknown as MetricJson[]));
  });
}

/** One registry from the workers' JSON, each metric combined as clusterAggregatorOf says. */
function combine(parts: MetricJson[][]): Registry {
  const withAggregators = parts.map((metrics) => metrics.map((metric) => ({ ...metric, aggregator: clusterAggregatorOf(metric) })));
  return AggregatorRegistry.aggregate(withAggregators);
}

/**
 * In a worker: lets the primary read this process's registry, and returns how to read the whole
 * cluster's metrics (through the primary). A scrape the primary cannot answer in time gets this
 * worker's own metrics, saying so in a comment line.
 */
export function shareClusterMetrics(registry: Registry, timeoutMs = 6000): () => Promise<string> {
  const share = (id: number) => {
    const send = (answer: Omit<Collected, 'type' | 'id'>) => process.send?.({ type: collectedType, id, ...answer } satisfies Collected);
    registry.getMetricsAsJSON().then(
      (metrics) => send({ metrics: metrics as unknown as MetricJson[] }),
      (error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }),
    );
  };
  process.on('message', (message: Collect) => {
    if (message?.type === collectType) share(message.id);
  });
  // Unasked, once: the primary asks only the workers that have shared their metrics.
  share(-1);
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
