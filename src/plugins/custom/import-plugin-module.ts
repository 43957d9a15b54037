import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** How long a module's import (its top level included) may take. */
const importTimeoutMs = 60_000;

/** Imports that failed, by the URL they were made with: the next try uses another (ESM keeps a failed module as failed). */
const failedImports = new Map<string, number>();

/**
 * The URL a plugin file is imported by: its contents' hash as the query. ES modules are cached by
 * URL for the life of the process, so a changed file gets a new URL and is imported again on a
 * reload, and an unchanged one keeps its URL and its module (with whatever state it holds). After
 * a failed import (a package installed since, a file it imports fixed) the next try gets a fresh URL.
 */
function moduleUrl(file: string, contents: Buffer): string {
  const url = `${pathToFileURL(file).href}?version=${createHash('sha256').update(contents).digest('hex').slice(0, 16)}`;
  const failures = failedImports.get(url) ?? 0;
  return failures === 0 ? url : `${url}&retry=${failures}`;
}

function readProblem(file: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `cannot find ${file}`;
  if (error.code === 'EISDIR') return `${file} is a folder; name the module file`;
  if (error.code === 'EACCES') return `cannot read ${file}: permission denied`;
  return `cannot read ${file}: ${error.code ?? error.message}`;
}

/**
 * Where a syntax error is. Node's import error does not say (only `SyntaxError: Unexpected token`),
 * `node --check` does: it is asked only when an import has failed with one.
 */
function syntaxErrorLocation(file: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: 5000 }, (_error, _stdout, stderr) => {
      const [where = '', code = ''] = String(stderr).split('\n');
      const line = where.startsWith(file) ? /:(\d+)$/.exec(where)?.[1] : undefined;
      resolve(line === undefined ? null : `line ${line}: ${code.trim().slice(0, 120)}`);
    });
  });
}

/**
 * Imports a custom plugin's module from an absolute path: its exports, or the problem (one line,
 * naming the file) that keeps it from being imported: missing, unreadable, a syntax error (with its
 * line), a package it imports that is not installed, an error its top level throws.
 */
export async function importPluginModule(file: string): Promise<{ exports: Record<string, unknown> } | { problem: string }> {
  let contents: Buffer;
  try {
    contents = await readFile(file);
  } catch (error) {
    return { problem: readProblem(file, error as NodeJS.ErrnoException) };
  }
  const url = moduleUrl(file, contents);
  let timer: NodeJS.Timeout | undefined;
  try {
    // A top-level await that never settles would hold the start (or the reload) without a word.
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`it did not finish importing within ${importTimeoutMs / 1000} s (a top-level await that never settles?)`)), importTimeoutMs);
    });
    return { exports: (await Promise.race([import(url), timeout])) as Record<string, unknown> };
  } catch (error) {
    const base = url.replace(/&retry=\d+$/, '');
    failedImports.set(base, (failedImports.get(base) ?? 0) + 1);
    const message = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
    const location = error instanceof SyntaxError ? await syntaxErrorLocation(file) : null;
    return { problem: `cannot import ${file}: ${message}${location === null ? '' : ` (${location})`}` };
  } finally {
    clearTimeout(timer);
  }
}
