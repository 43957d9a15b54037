import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, posix, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  execForm,
  flagsAndWords,
  imageCommand,
  inBuildContext,
  lastOf,
  readDockerfile,
  repoRoot,
  runtimeStage,
  stageEnv,
  startScript,
  workdirOf,
  type DockerStage,
} from './deploy-files.ts';

/**
 * There is no Docker engine where these tests run, so the image is never built here. Instead the
 * Dockerfile is read and its stages are replayed in folders that stand for the image's file system:
 * the build stage's COPYs (through .dockerignore) and `npm run build`, then the runtime stage's
 * COPYs, its `npm ci`, and the container's own command line (ENTRYPOINT + CMD with its ENV) run as
 * a process. Paths in the image (/app, /etc/tollgate) become paths under that folder; `node` is this
 * Node 24. What the replay cannot show: the base image itself, the user switch and file owners
 * (USER, chown), and the build stage's full `npm ci` (the repository's node_modules stands in).
 */

const stages = readDockerfile();
const runtime = runtimeStage(stages);

function runOf(stage: DockerStage): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === 'RUN').flatMap((instruction) => instruction.text.split('&&').map((command) => command.trim()));
}

describe('Dockerfile', () => {
  it('builds on node:24-slim in two stages, and the runtime stage has production dependencies only', () => {
    assert.ok(stages.length >= 2, 'a build stage and a runtime stage');
    for (const stage of stages) assert.equal(stage.image, 'node:24-slim', 'a tag, not a digest: docs/deployment.md says how to pin one');
    const build = stages.find((stage) => stage.name === 'build');
    assert.ok(build, 'a stage named build');
    assert.ok(runOf(build).some((command) => /^npm ci\b/.test(command)));
    assert.ok(runOf(build).includes('npm run build'));
    const install = runOf(runtime).find((command) => /^npm ci\b/.test(command));
    assert.ok(install?.includes('--omit=dev'), `the runtime stage installs with --omit=dev: ${install}`);
  });

  it('runs as node with the flags and environment of `npm start`, in exec form', () => {
    const start = startScript();
    const env = stageEnv(runtime);
    for (const [name, value] of Object.entries(start.env)) assert.equal(env[name], value, `ENV ${name} as in npm start`);
    // npm start runs from the repository root; the image's command names the bundle absolutely.
    const expected = start.argv.map((word) => (word.endsWith('.js') ? posix.resolve(workdirOf(runtime), word) : word));
    assert.deepEqual(imageCommand(runtime), expected);
    assert.equal(lastOf(runtime, 'USER')?.text, 'node');
    assert.deepEqual(lastOf(runtime, 'EXPOSE')?.text.split(/\s+/), ['8000', '8001']);
    assert.ok(env.TOLLGATE_CONFIG?.startsWith('/'), 'TOLLGATE_CONFIG names an absolute path');
  });

  it('keeps the example config store on the VOLUME', () => {
    const example = parse(readFileSync(join(repoRoot, 'tollgate.example.yaml'), 'utf8')) as { storage: string };
    const database = posix.resolve(workdirOf(runtime), example.storage.replace(/^sqlite:/, ''));
    const volumes = runtime.instructions.filter((instruction) => instruction.keyword === 'VOLUME').flatMap((instruction) => execForm(instruction));
    assert.ok(volumes.includes(posix.dirname(database)), `VOLUME ${posix.dirname(database)} (the example's ${example.storage})`);
  });

  it('.dockerignore lets in what the stages copy and keeps out node_modules, dist, .git, data and .env', () => {
    for (const path of ['node_modules/pino/package.json', 'dist/cli/main.js', '.git/HEAD', 'data/tollgate.db', '.env', 'bench/results/latest.md', 'test/core/config.test.ts']) assert.equal(inBuildContext(path), false, path);
    for (const stage of stages) {
      for (const instruction of stage.instructions.filter((each) => each.keyword === 'COPY')) {
        const { flags, words } = flagsAndWords(instruction.text);
        if (flags.from) continue;
        for (const source of words.slice(0, -1)) {
          assert.ok(existsSync(join(repoRoot, source)), `COPY ${source}: no such file`);
          assert.ok(inBuildContext(source), `COPY ${source} (line ${instruction.line}) is left out of the build context by .dockerignore`);
        }
      }
    }
  });
});

/** Runs a command, collecting its output; resolves with the exit code. */
function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let output = '';
    child.stdout.on('data', (piece: Buffer) => (output += piece.toString()));
    child.stderr.on('data', (piece: Buffer) => (output += piece.toString()));
    child.on('error', (error) => resolve({ code: -1, output: `${output}\n${error.message}` }));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** npm's own script, to run it on this Node 24 (the `npm` on PATH may start an older system Node). */
function npmCli(): string {
  if (process.env.npm_execpath?.endsWith('.js')) return process.env.npm_execpath;
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, 'npm');
    if (!existsSync(candidate)) continue;
    const script = realpathSync(candidate);
    if (script.endsWith('.js')) return script;
  }
  throw new Error('cannot find npm-cli.js on PATH');
}

/**
 * How this machine reaches the npm registry: its CA bundle (a TLS-inspecting proxy's certificate)
 * and proxy settings. Without them a package missing from npm's cache cannot be fetched.
 */
const networkVariables = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

/** A clean environment (no provider keys, no other npm_* settings of an enclosing `npm test`) but npm's registry, cache and the network settings it needs. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const name of ['npm_config_registry', 'npm_config_cache', ...networkVariables]) if (process.env[name]) env[name] = process.env[name];
  return env;
}

const networkFailure = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ERR_SOCKET_TIMEOUT)\b/;

/**
 * A folder standing for one stage's file system; `at('/app/x')` is where /app/x of the image is.
 * The build stage's files come from the repository through .dockerignore, and the runtime stage's
 * `COPY --from=build` from the build stage's folder.
 */
class StageFolder {
  readonly root: string;
  workdir = '/';
  env: Record<string, string> = {};

  constructor(root: string) {
    this.root = root;
    mkdirSync(root, { recursive: true });
  }

  at(imagePath: string): string {
    return join(this.root, posix.resolve(this.workdir, imagePath));
  }

  /** Docker's COPY: a folder's contents go into the destination; a file goes to it, or into it when it ends in `/` or is a folder. */
  copy(text: string, folders: Map<string, StageFolder>): void {
    const { flags, words } = flagsAndWords(text);
    const destination = words.at(-1)!;
    const sources = words.slice(0, -1);
    const from = flags.from === undefined ? undefined : folders.get(flags.from);
    if (flags.from !== undefined && from === undefined) throw new Error(`COPY --from=${flags.from}: no such stage`);
    const intoFolder = destination.endsWith('/') || destination === '.' || sources.length > 1;
    for (const source of sources) {
      const path = from ? from.at(source) : join(repoRoot, source);
      if (!existsSync(path)) throw new Error(`COPY ${source}: not found in ${from ? `stage ${flags.from}` : 'the build context'}`);
      if (!from && !inBuildContext(source)) throw new Error(`COPY ${source}: left out of the build context by .dockerignore`);
      const target = intoFolder ? join(this.at(destination), posix.basename(source)) : this.at(destination);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target, { recursive: true, filter: (each) => from !== undefined || inBuildContext(relative(repoRoot, each).split('\\').join('/')) });
    }
  }
}

describe('the runtime stage, replayed in a folder', { timeout: 120_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tollgate-image-'));
  const folders = new Map<string, StageFolder>();
  let image: StageFolder;
  let skipped: string | undefined;
  let gateway: ChildProcess | undefined;

  before(async () => {
    // The build stage: its COPYs from the build context, then `npm run build` as package.json says.
    const build = stages.find((stage) => stage.name === 'build')!;
    const buildFolder = new StageFolder(join(scratch, 'build'));
    folders.set('build', buildFolder);
    for (const instruction of build.instructions) {
      if (instruction.keyword === 'WORKDIR') buildFolder.workdir = posix.resolve(buildFolder.workdir, instruction.text);
      else if (instruction.keyword === 'COPY') buildFolder.copy(instruction.text, folders);
      else if (instruction.keyword === 'RUN') {
        for (const command of instruction.text.split('&&').map((each) => each.trim())) {
          mkdirSync(buildFolder.at('.'), { recursive: true });
          if (/^npm ci\b/.test(command)) {
            // The development install is the repository's own (same lockfile).
            symlinkSync(join(repoRoot, 'node_modules'), buildFolder.at('node_modules'), 'dir');
          } else if (command === 'npm run build') {
            const script = (JSON.parse(readFileSync(buildFolder.at('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build.split(/\s+/);
            assert.equal(script[0], 'node', 'the build script runs node');
            const built = await run(process.execPath, script.slice(1), { cwd: buildFolder.at('.'), env: baseEnv() });
            assert.equal(built.code, 0, built.output);
          } else assert.fail(`Dockerfile line ${instruction.line}: this test does not know how to replay \`${command}\`; teach it`);
        }
      } else if (!['ENV', 'ARG', 'LABEL'].includes(instruction.keyword)) assert.fail(`Dockerfile line ${instruction.line}: ${instruction.keyword} in the build stage is not replayed; teach this test`);
    }

    // The runtime stage, instruction by instruction.
    image = new StageFolder(join(scratch, 'image'));
    for (const instruction of runtime.instructions) {
      switch (instruction.keyword) {
        case 'ENV':
          image.env = stageEnv({ ...runtime, instructions: runtime.instructions.slice(0, runtime.instructions.indexOf(instruction) + 1) });
          break;
        case 'WORKDIR':
          image.workdir = posix.resolve(image.workdir, instruction.text);
          mkdirSync(image.at('.'), { recursive: true });
          break;
        case 'COPY':
          image.copy(instruction.text, folders);
          break;
        case 'VOLUME':
          for (const volume of execForm(instruction)) mkdirSync(image.at(volume), { recursive: true });
          break;
        case 'RUN':
          for (const command of instruction.text.split('&&').map((each) => each.trim())) {
            const words = command.split(/\s+/);
            if (words[0] === 'npm' && words[1] === 'ci') {
              // The same install, from npm's cache where it can; the registry only for what is missing,
              // and a registry that does not answer fails in seconds rather than after npm's minutes of retries.
              const offline = ['--prefer-offline', '--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=3000', '--fetch-timeout=15000'];
              const installed = await run(process.execPath, [npmCli(), ...words.slice(1), ...offline], { cwd: image.at('.'), env: baseEnv() });
              if (installed.code !== 0 && networkFailure.test(installed.output)) {
                const message = `the npm registry cannot be reached for \`${command}\` (${networkFailure.exec(installed.output)![1]})`;
                if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') assert.fail(`${message}; TOLLGATE_REQUIRE_SERVICES=1 requires it`);
                process.stderr.write(`\n${'!'.repeat(78)}\n!! SKIP: ${message}.\n!! The container replay tests are SKIPPED. TOLLGATE_REQUIRE_SERVICES=1 makes this a failure.\n${'!'.repeat(78)}\n\n`);
                skipped = message;
                return;
              }
              assert.equal(installed.code, 0, `${command}\n${installed.output}`);
            } else if (words[0] === 'mkdir' && words[1] === '-p') {
              for (const path of words.slice(2)) mkdirSync(image.at(path), { recursive: true });
            } else if (command === 'npm cache clean --force' || words[0] === 'chown') {
              // Nothing to clean in the replay; file owners are the image's business (it runs as node).
            } else assert.fail(`Dockerfile line ${instruction.line}: this test does not know how to replay \`${command}\`; teach it`);
          }
          break;
        case 'USER':
        case 'EXPOSE':
        case 'HEALTHCHECK':
        case 'ENTRYPOINT':
        case 'CMD':
        case 'LABEL':
        case 'STOPSIGNAL':
          break;
        default:
          assert.fail(`Dockerfile line ${instruction.line}: ${instruction.keyword} is not replayed; teach this test`);
      }
    }
  }, { timeout: 120_000 });

  after(() => {
    gateway?.kill('SIGKILL');
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The container's environment and command line, with image paths made folder paths. */
  function container(extraEnv: Record<string, string>): { command: string; args: string[]; env: NodeJS.ProcessEnv; cwd: string } {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
    for (const [name, value] of Object.entries(image.env)) env[name] = value.startsWith('/') ? image.at(value) : value;
    const [executable, ...args] = imageCommand(runtime);
    assert.equal(executable, 'node');
    return { command: process.execPath, args: args.map((arg) => (arg.startsWith('/') ? image.at(arg) : arg)), env: { ...env, ...extraEnv }, cwd: image.at('.') };
  }

  it('installs production dependencies only', (context) => {
    if (skipped) return context.skip(skipped);
    for (const name of ['pino', 'pg', 'ioredis', 'undici']) assert.ok(existsSync(image.at(`node_modules/${name}/package.json`)), `${name} is installed`);
    for (const name of ['node', 'esbuild', 'typescript', 'kubernetes-models']) assert.equal(existsSync(image.at(`node_modules/${name}`)), false, `${name} (a devDependency) is not installed`);
    assert.ok(existsSync(image.at('dist/cli/main.js')));
    assert.equal(existsSync(image.at('src')), false, 'no sources in the image');
  });

  it('starts with the image command on the config at TOLLGATE_CONFIG, serves, passes its HEALTHCHECK and exits 0 on SIGTERM', { timeout: 60_000 }, async (context) => {
    if (skipped) return context.skip(skipped);
    // The example config takes its ports and host from these; 0 picks free ports.
    const started = container({ TOLLGATE_PORT: '0', TOLLGATE_ADMIN_PORT: '0', TOLLGATE_HOST: '127.0.0.1' });
    const child = spawn(started.command, started.args, { cwd: started.cwd, env: started.env });
    gateway = child;
    let output = '';
    child.stdout!.on('data', (piece: Buffer) => (output += piece.toString()));
    child.stderr!.on('data', (piece: Buffer) => (output += piece.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const startLine = /"listen":"http:\/\/127\.0\.0\.1:(\d+)","admin":"http:\/\/127\.0\.0\.1:(\d+)","config":"([^"]+)"/;
    const deadline = Date.now() + 20_000;
    while (!startLine.test(output) && child.exitCode === null && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const match = startLine.exec(output);
    assert.ok(match, `the gateway did not start:\n${output}`);
    const [, port, adminPort, config] = match;
    assert.equal(config, started.env.TOLLGATE_CONFIG, 'the config at TOLLGATE_CONFIG');
    assert.equal(readFileSync(config, 'utf8'), readFileSync(join(repoRoot, 'tollgate.example.yaml'), 'utf8'), 'by default, the bundled example');

    assert.equal((await fetch(`http://127.0.0.1:${adminPort}/healthz`)).status, 200);
    const ready = await fetch(`http://127.0.0.1:${adminPort}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { status: string }).status, 'ready');
    const answer = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/test', messages: [{ role: 'user', content: 'hello from the image' }] }) });
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content, 'hello from the image');

    // The example's SQLite store lands in the VOLUME folder, the one place the image lets node write.
    assert.ok(statSync(image.at('data/tollgate.db')).isFile(), 'the store is in /app/data');

    // HEALTHCHECK: its exec form, with the container's environment (its admin port).
    const healthcheck = lastOf(runtime, 'HEALTHCHECK');
    if (healthcheck) {
      const [executable, ...args] = execForm(healthcheck);
      assert.equal(executable, 'node');
      const checked = await run(process.execPath, args, { cwd: started.cwd, env: { ...started.env, TOLLGATE_ADMIN_PORT: adminPort } });
      assert.equal(checked.code, 0, `HEALTHCHECK failed: ${checked.output}`);
    }

    const stopping = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    gateway = undefined;
    assert.equal(code, 0, output);
    // server.drain_timeout is 30 s by default; with nothing in flight the stop is at once.
    assert.ok(Date.now() - stopping < 30_000, 'stopped within the drain time');
    assert.match(output, /"msg":"stopped"/);
  });
});
