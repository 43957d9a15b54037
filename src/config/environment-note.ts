import type { ProblemNote } from './format-issues.ts';

/** `${NAME}` and `${NAME:-default}`, as substitute-env.ts reads them (`$${` escapes are skipped by the caller). */
const reference = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?\}/g;

/**
 * A Kubernetes service link: for each Service of its namespace, Kubernetes sets
 * `<SERVICE>_PORT=tcp://<cluster IP>:<port>` in every pod (unless `enableServiceLinks: false`),
 * so a Service named tollgate sets TOLLGATE_PORT, the variable the example config reads for its port.
 */
const serviceLink = /^(tcp|udp|sctp):\/\/[^/\s]+:\d+$/;

/** The value at `path` in the document as written (before `${...}` substitution), or undefined. */
function valueAt(document: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = document;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(name: string, hasDefault: boolean, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (value === undefined || value === '') return hasDefault ? `environment variable ${name} is not set, so its default applies` : `environment variable ${name} is not set`;
  if (name.endsWith('_PORT') && serviceLink.test(value)) {
    const service = name.slice(0, -'_PORT'.length).toLowerCase().replaceAll('_', '-');
    return `environment variable ${name} is ${JSON.stringify(value)}: Kubernetes sets that for a Service named ${service}; set enableServiceLinks: false in the pod spec (deploy/kubernetes/deployment.yaml does), or read the port from a variable of another name`;
  }
  return `from environment variable ${name}`;
}

/**
 * Says which environment variables a refused value came from: a problem such as `server.port:
 * expected number, received string` or `storage: ... got ""` named neither TOLLGATE_PORT nor an
 * unset DATABASE_URL. `document`: the parsed YAML before substitution.
 */
export function environmentNote(document: unknown, env: NodeJS.ProcessEnv): ProblemNote {
  return (path) => {
    const written = valueAt(document, path);
    if (typeof written !== 'string' || !written.includes('${')) return '';
    const notes = new Map<string, string>();
    for (const [, escape, name, fallback] of written.matchAll(reference)) {
      if (escape === '' && !notes.has(name)) notes.set(name, describe(name, fallback !== undefined, env));
    }
    return notes.size === 0 ? '' : ` (${[...notes.values()].join('; ')})`;
  };
}
