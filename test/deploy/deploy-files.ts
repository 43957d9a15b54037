// Readers for the deployment files (Dockerfile, .dockerignore, package.json's start script, the
// Kubernetes manifests), shared by the tests under test/deploy/ so that each checks the files as
// they are rather than a copy of their values.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const manifestsFolder = join(repoRoot, 'deploy/kubernetes');

export interface DockerInstruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  text: string;
  line: number;
}

export interface DockerStage {
  image: string;
  name: string | undefined;
  instructions: DockerInstruction[];
}

/** Splits a Dockerfile into stages of instructions (comments dropped, `\` continuations joined). */
export function parseDockerfile(text: string): DockerStage[] {
  const stages: DockerStage[] = [];
  let pending = '';
  let startLine = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    // Docker drops comment lines, also those inside a continued instruction.
    if (/^\s*#/.test(line)) continue;
    if (pending === '' && line.trim() === '') continue;
    if (pending === '') startLine = index + 1;
    const continued = /\\\s*$/.test(line);
    pending += `${continued ? line.replace(/\\\s*$/, '') : line} `;
    if (continued) continue;
    const [, keyword, rest] = /^\s*(\S+)\s*(.*)$/s.exec(pending) ?? [];
    pending = '';
    const instruction = { keyword: keyword.toUpperCase(), text: rest.trim(), line: startLine };
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.text.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    if (stages.length === 0) throw new Error(`Dockerfile line ${startLine}: ${instruction.keyword} before FROM`);
    stages.at(-1)!.instructions.push(instruction);
  }
  return stages;
}

export function readDockerfile(): DockerStage[] {
  return parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
}

/** The stage's only instruction with this keyword (ENTRYPOINT, CMD, USER...), or undefined. */
export function lastOf(stage: DockerStage, keyword: string): DockerInstruction | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
}

/** An instruction's exec form (`["node", "x.js"]`); throws for the shell form, which would put sh in front of node as PID 1. */
export function execForm(instruction: DockerInstruction): string[] {
  const text = instruction.text.replace(/^(--\S+\s+)*(CMD\s+)?/, '');
  if (!text.startsWith('[')) throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} is in shell form; use the exec form (a JSON array)`);
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) throw new Error(`Dockerfile line ${instruction.line}: not an array of strings`);
  return parsed;
}

/** `--from=build --chown=x a b c` -> flags and the remaining words. */
export function flagsAndWords(text: string): { flags: Record<string, string>; words: string[] } {
  const flags: Record<string, string> = {};
  const words: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const flag = /^--([a-z-]+)(?:=(.*))?$/.exec(word);
    if (flag && words.length === 0) flags[flag[1]] = flag[2] ?? 'true';
    else words.push(word);
  }
  return { flags, words };
}

/** `ENV A=1 B="two words"` -> {A: '1', B: 'two words'}. */
export function envAssignments(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [, name, quoted, plain] of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)) env[name] = quoted ?? plain;
  return env;
}

/** The environment a stage sets with ENV, in order. */
export function stageEnv(stage: DockerStage): Record<string, string> {
  return Object.assign({}, ...stage.instructions.filter((instruction) => instruction.keyword === 'ENV').map((instruction) => envAssignments(instruction.text)));
}

/** The stage's WORKDIR at the end (absolute). */
export function workdirOf(stage: DockerStage): string {
  let workdir = '/';
  for (const instruction of stage.instructions) if (instruction.keyword === 'WORKDIR') workdir = posix.resolve(workdir, instruction.text);
  return workdir;
}

/** The runtime stage: the last one, which `docker build` makes the image of. */
export function runtimeStage(stages: DockerStage[]): DockerStage {
  return stages.at(-1)!;
}

/** The full command line a container of the image runs: ENTRYPOINT + CMD. */
export function imageCommand(stage: DockerStage): string[] {
  const entrypoint = lastOf(stage, 'ENTRYPOINT');
  const command = lastOf(stage, 'CMD');
  return [...(entrypoint ? execForm(entrypoint) : []), ...(command ? execForm(command) : [])];
}

/** package.json's `npm start`: `A=1 node --flag dist/cli/main.js start` -> its environment and argv. */
export function startScript(): { env: Record<string, string>; argv: string[] } {
  const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = packageJson.scripts.start.split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name] = value.join('=');
  }
  return { env, argv: words };
}

/**
 * Whether .dockerignore lets a path (relative to the repository, `/`-separated) into the build
 * context. As Docker reads it: each pattern is matched against the path and its parent folders,
 * and the last pattern that matches decides (`!pattern` lets it in again).
 */
export function inBuildContext(relativePath: string, patterns = dockerignorePatterns()): boolean {
  const parts = relativePath.split('/');
  const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
  let excluded = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const glob = posix.normalize(negated ? pattern.slice(1) : pattern).replace(/^\/+|\/+$/g, '');
    const matcher = dockerGlob(glob);
    if (candidates.some((candidate) => matcher.test(candidate))) excluded = !negated;
  }
  return !excluded;
}

/** A .dockerignore pattern as a RegExp: Go's filepath.Match (`*` and `?` match dot files too, never `/`) plus `**` for any folders. */
function dockerGlob(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index];
    if (glob.startsWith('**', index)) {
      source += glob[index + 2] === '/' ? '(?:.*/)?' : '.*';
      index += glob[index + 2] === '/' ? 2 : 1;
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else if (character === '[') {
      const end = glob.indexOf(']', index + 1);
      source += `[${glob.slice(index + 1, end).replace(/^[!^]/, '^')}]`;
      index = end;
    } else if (character === '\\') source += `\\${glob[++index]}`;
    else source += character.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function dockerignorePatterns(): string[] {
  return readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

export interface ManifestDocument {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Every YAML document of deploy/kubernetes/*.yaml; throws on a YAML error. */
export function readManifests(): ManifestDocument[] {
  const documents: ManifestDocument[] = [];
  for (const file of readdirSync(manifestsFolder).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    for (const document of parseAllDocuments(readFileSync(join(manifestsFolder, file), 'utf8'))) {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors.map((error) => error.message).join('; ')}`);
      const value = document.toJS() as ManifestDocument | null;
      if (value !== null) documents.push({ ...value, file });
    }
  }
  return documents;
}

/** The one manifest of a kind (and name, when several); throws when there is none. */
export function manifestOf<T = ManifestDocument>(documents: ManifestDocument[], kind: string, name?: string): T {
  const found = documents.filter((document) => document.kind === kind && (name === undefined || document.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''} in deploy/kubernetes, found ${found.length}`);
  return found[0] as T;
}
