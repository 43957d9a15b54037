import { createContext, Script } from 'node:vm';

/** The work did not finish within its time: it was stopped where it was. */
export class DeadlineExceeded extends Error {
  readonly milliseconds: number;

  constructor(milliseconds: number) {
    super(`took longer than ${milliseconds} ms`);
    this.milliseconds = milliseconds;
  }
}

// One context for every call: making a context costs about a millisecond, running a script in it
// with a timeout about 0.15 ms (the timeout's watchdog thread).
const context = createContext({ task: null as (() => unknown) | null });
const callTask = new Script('task()');

/**
 * Runs synchronous work with a time limit. Node's vm timeout stops whatever JavaScript runs on the
 * thread once the time is up (V8's TerminateExecution), the task's own functions included, and the
 * call throws DeadlineExceeded. It is for work whose cost a client decides and no static check can
 * bound — a JSON Schema's combinators and recursion can take exponential time on a short answer.
 * Work stopped half-way may leave the objects it was changing inconsistent: a caller drops them
 * (a compiled validator) rather than use them again. Promises the task starts are not covered.
 */
export function runWithDeadline<T>(milliseconds: number, task: () => T): T {
  context.task = task;
  try {
    return callTask.runInContext(context, { timeout: milliseconds }) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new DeadlineExceeded(milliseconds);
    throw error;
  } finally {
    context.task = null;
  }
}
