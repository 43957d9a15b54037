import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load-config.ts';
import { toMilliseconds } from '../../src/config/units.ts';
import { lastOf, execForm, manifestOf, manifestsFolder, readDockerfile, readManifests, repoRoot, runtimeStage, stageEnv, type ManifestDocument } from './deploy-files.ts';

/**
 * deploy/kubernetes/ is checked without a cluster: every document against the Kubernetes schemas
 * (kubernetes-models' validate(), and its TypeScript types for fields the schemas let through,
 * such as a misspelt `readinessProbes`), and the documents against each other, the gateway's own
 * config validation and the Dockerfile.
 */

interface Probe {
  httpGet: { path: string; port: number | string };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  envFrom?: Array<{ secretRef?: { name: string } }>;
  ports: Array<{ name: string; containerPort: number }>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  startupProbe: Probe;
  readinessProbe: Probe;
  livenessProbe: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
  volumeMounts: Array<{ name: string; mountPath: string; subPath?: string }>;
}
interface Deployment extends ManifestDocument {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: {
        enableServiceLinks: boolean;
        terminationGracePeriodSeconds: number;
        securityContext: { runAsNonRoot: boolean; runAsUser: number; seccompProfile: { type: string } };
        topologySpreadConstraints: Array<{ topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }>;
        containers: Container[];
        volumes: Array<{ name: string; configMap?: { name: string } }>;
      };
    };
  };
}
interface Service extends ManifestDocument {
  spec: { selector: Record<string, string>; ports: Array<{ port: number; targetPort: number | string }> };
}
interface Budget extends ManifestDocument {
  spec: { maxUnavailable?: number; minAvailable?: number; selector: { matchLabels: Record<string, string> } };
}
interface Autoscaler extends ManifestDocument {
  spec: { scaleTargetRef: { apiVersion: string; kind: string; name: string }; minReplicas: number; maxReplicas: number; metrics: Array<{ type: string; resource?: { name: string; target: { type: string } } }> };
}
interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: unknown;
}
interface NetworkPolicy extends ManifestDocument {
  spec: { podSelector: LabelSelector; policyTypes?: string[]; ingress?: Array<{ from?: PolicyPeer[]; ports?: Array<{ port?: number | string; protocol?: string }> }> };
}
interface ConfigMap extends ManifestDocument {
  data: Record<string, string>;
}
interface Secret extends ManifestDocument {
  stringData: Record<string, string>;
}

const documents = readManifests();
const kubernetesDocuments = documents.filter((document) => document.kind !== 'Kustomization');
const deployment = manifestOf<Deployment>(documents, 'Deployment');
const container = deployment.spec.template.spec.containers[0];
const service = manifestOf<Service>(documents, 'Service');
const budget = manifestOf<Budget>(documents, 'PodDisruptionBudget');
const autoscaler = manifestOf<Autoscaler>(documents, 'HorizontalPodAutoscaler');
const secret = manifestOf<Secret>(documents, 'Secret');
const runtime = runtimeStage(readDockerfile());
const imageConfigPath = stageEnv(runtime).TOLLGATE_CONFIG;
const configMap = manifestOf<ConfigMap>(documents, 'ConfigMap');
const configText = configMap.data[posix.basename(imageConfigPath)];
/** The Secret template's values stand in for the real ones: they are well-formed URLs and tokens. */
const secretEnv = { ...secret.stringData };
const config = parseConfig(configText, 'configmap.yaml', secretEnv).config;

/** A connection's source as a NetworkPolicy sees it: its pod's labels and its namespace's. */
interface Source {
  namespace: string;
  podLabels: Record<string, string>;
}

/** Whether a label selector matches (only matchLabels: an expression would need this reader taught). */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  assert.equal(selector.matchExpressions, undefined, 'matchExpressions: teach this test to read them');
  return Object.entries(selector.matchLabels ?? {}).every(([name, value]) => labels[name] === value);
}

/**
 * Whether the policy lets `source` reach the selected pods' `port`, as Kubernetes reads ingress
 * rules: any rule whose ports (none: every port) hold the port and whose peers (none: every
 * source) hold the source. A peer with only a podSelector means pods of the policy's namespace;
 * a namespace's labels include kubernetes.io/metadata.name.
 */
function admits(policy: NetworkPolicy, source: Source, port: number): boolean {
  const namespaceLabels = { 'kubernetes.io/metadata.name': source.namespace };
  return (policy.spec.ingress ?? []).some((rule) => {
    const portHeld = rule.ports === undefined || rule.ports.length === 0 || rule.ports.some((each) => (each.protocol ?? 'TCP') === 'TCP' && (each.port === undefined || portNumber(each.port) === port));
    const sourceHeld =
      rule.from === undefined ||
      rule.from.length === 0 ||
      rule.from.some((peer) => {
        if (peer.ipBlock !== undefined) return false;
        const namespaceHeld = peer.namespaceSelector === undefined ? source.namespace === policy.metadata.namespace : selects(peer.namespaceSelector, namespaceLabels);
        return namespaceHeld && (peer.podSelector === undefined || selects(peer.podSelector, source.podLabels));
      });
    return portHeld && sourceHeld;
  });
}

function withoutFile(document: ManifestDocument): Omit<ManifestDocument, 'file'> {
  const { file: _file, ...rest } = document;
  return rest;
}

/** The module of kubernetes-models with a kind's model: `apps/v1` + Deployment -> kubernetes-models/apps/v1/Deployment. */
function modelModule(document: ManifestDocument): string {
  return `kubernetes-models/${document.apiVersion}/${document.kind}`;
}

/**
 * Type-checks each document as an object literal of its kubernetes-models interface: TypeScript's
 * excess-property check finds fields the API does not have, at any depth, which the JSON schemas
 * (open to unknown fields) let through and a real `kubectl apply` would refuse.
 */
function typeErrors(checked: ManifestDocument[]): string[] {
  const fileName = join(repoRoot, 'test/deploy/manifests-as-types.ts');
  const text = checked.map((document, index) => `export const document${index}: import('${modelModule(document)}').I${document.kind} = ${JSON.stringify(withoutFile(document))};`).join('\n');
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2024, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => (name === fileName ? ts.createSourceFile(name, text, language) : getSourceFile.call(host, name, language, ...rest));
  host.fileExists = (name) => name === fileName || fileExists.call(host, name);
  host.readFile = (name) => (name === fileName ? text : readFile.call(host, name));
  const program = ts.createProgram([fileName], options, host);
  const source = program.getSourceFile(fileName)!;
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((diagnostic) => {
    const line = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
    const document = checked[line];
    return `${document.file} ${document.kind} ${document.metadata.name}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}

/** A container port by name or number -> its number. */
function portNumber(port: number | string): number {
  if (typeof port === 'number') return port;
  const named = container.ports.find((each) => each.name === port);
  assert.ok(named, `no container port named ${port}`);
  return named.containerPort;
}

/** A memory quantity (256Mi, 1Gi, 300M) in MiB. */
function mebibytes(quantity: string): number {
  const [, amount, unit] = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity) ?? [];
  assert.ok(amount, `a memory quantity: ${quantity}`);
  const factor: Record<string, number> = { '': 1 / 2 ** 20, Ki: 1 / 1024, Mi: 1, Gi: 1024, K: 1000 / 2 ** 20, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20 };
  return Number(amount) * factor[unit ?? ''];
}

describe('deploy/kubernetes manifests', () => {
  it('parse, and each is a valid object of its kind (kubernetes-models validate())', async () => {
    assert.deepEqual([...new Set(kubernetesDocuments.map((document) => document.kind))].sort(), ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'NetworkPolicy', 'PodDisruptionBudget', 'Secret', 'Service']);
    for (const document of kubernetesDocuments) {
      const module = (await import(modelModule(document))) as Record<string, new (data: unknown) => { validate(): void }>;
      const Model = module[document.kind];
      assert.ok(Model, `kubernetes-models has no ${document.apiVersion} ${document.kind}`);
      assert.doesNotThrow(() => new Model(withoutFile(document)).validate(), `${document.file}: ${document.kind} ${document.metadata.name}`);
    }
  });

  it('have no field the Kubernetes API does not know (kubernetes-models types)', { timeout: 30_000 }, () => {
    assert.deepEqual(typeErrors(kubernetesDocuments), []);
    // The check itself works: a misspelt field deep in the pod spec is found.
    const misspelt = structuredClone(deployment);
    (misspelt.spec.template.spec.containers[0] as unknown as Record<string, unknown>).readinessProbes = container.readinessProbe;
    assert.match(typeErrors([misspelt]).join('\n'), /readinessProbes/);
  });

  it('kustomization.yaml lists every manifest but the Secret template', () => {
    const kustomization = parse(readFileSync(join(manifestsFolder, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const files = readdirSync(manifestsFolder).filter((name) => /\.ya?ml$/.test(name) && name !== 'kustomization.yaml' && name !== secret.file);
    assert.deepEqual([...kustomization.resources].sort(), files.sort());
    assert.equal(secret.file, 'secret.example.yaml');
  });

  it('the Secret template holds placeholders only', () => {
    for (const [name, value] of Object.entries(secret.stringData)) assert.match(value, /CHANGE-ME/, `${name} is a placeholder`);
    assert.equal(container.envFrom?.[0]?.secretRef?.name, secret.metadata.name);
  });

  it('one namespace; the Service, PodDisruptionBudget, autoscaler and spread constraints select the Deployment pods', () => {
    const namespace = manifestOf(documents, 'Namespace').metadata.name;
    for (const document of kubernetesDocuments.filter((each) => each.kind !== 'Namespace')) assert.equal(document.metadata.namespace, namespace, `${document.file}: namespace`);
    const selector = deployment.spec.selector.matchLabels;
    const podLabels = deployment.spec.template.metadata.labels;
    for (const [name, value] of Object.entries(selector)) assert.equal(podLabels[name], value, `pod label ${name}`);
    assert.deepEqual(service.spec.selector, selector);
    assert.deepEqual(budget.spec.selector.matchLabels, selector);
    for (const constraint of deployment.spec.template.spec.topologySpreadConstraints) assert.deepEqual(constraint.labelSelector.matchLabels, selector, constraint.topologyKey);
    assert.deepEqual(autoscaler.spec.scaleTargetRef, { apiVersion: deployment.apiVersion, kind: 'Deployment', name: deployment.metadata.name });
  });

  it('a NetworkPolicy lets only Prometheus reach the admin port (Admin API, /metrics); the data plane stays open to the cluster', () => {
    const policy = manifestOf<NetworkPolicy>(documents, 'NetworkPolicy');
    assert.deepEqual(policy.spec.podSelector.matchLabels, deployment.spec.selector.matchLabels, 'it selects the gateway pods');
    assert.ok(policy.spec.policyTypes?.includes('Ingress'));
    for (const rule of policy.spec.ingress ?? []) assert.ok(rule.ports !== undefined && rule.ports.length > 0, 'every rule names its ports (a rule without ports opens every port)');
    const dataPlane = config.server.port;
    const adminPort = config.admin.port;
    const namespace = deployment.metadata.namespace!;
    const prometheus: Source = { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus', prometheus: 'k8s' } };
    const application: Source = { namespace: 'apps', podLabels: { app: 'chat-frontend' } };
    const neighbour: Source = { namespace, podLabels: { app: 'debug-shell' } };
    const impostor: Source = { namespace: 'apps', podLabels: { 'app.kubernetes.io/name': 'prometheus' } };
    const ingressController: Source = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
    for (const source of [application, neighbour, ingressController, prometheus]) assert.ok(admits(policy, source, dataPlane), `${source.namespace} reaches the data plane`);
    assert.ok(admits(policy, prometheus, adminPort), 'Prometheus scrapes /metrics');
    for (const source of [application, neighbour, impostor, ingressController]) assert.ok(!admits(policy, source, adminPort), `${source.namespace}/${JSON.stringify(source.podLabels)} does not reach the admin port`);
    assert.ok(!admits(policy, application, 9999), 'no other port is open');
    // The scrape annotations name the port the policy opens to Prometheus.
    assert.equal(Number(deployment.spec.template.metadata.annotations['prometheus.io/port']), adminPort);
  });

  it('scale: at least two pods, CPU autoscaling against a CPU request, one voluntary disruption at a time', () => {
    assert.ok(deployment.spec.replicas === undefined || deployment.spec.replicas >= 2);
    assert.ok(autoscaler.spec.minReplicas >= 2);
    assert.ok(autoscaler.spec.maxReplicas > autoscaler.spec.minReplicas);
    assert.ok(autoscaler.spec.metrics.some((metric) => metric.type === 'Resource' && metric.resource?.name === 'cpu' && metric.resource.target.type === 'Utilization'));
    assert.ok(container.resources.requests.cpu, 'utilization is measured against the CPU request');
    assert.equal(budget.spec.maxUnavailable, 1);
    // README "Performance": 181-198 MiB with 1,000 streams open (one process).
    assert.ok(mebibytes(container.resources.requests.memory) >= 200, 'the memory request covers the measured peak at 1,000 streams');
    assert.ok(mebibytes(container.resources.limits.memory) > mebibytes(container.resources.requests.memory));
  });

  it("the ConfigMap's config: listeners the kubelet can reach, one worker, JSON logs, PostgreSQL and Redis from the Secret", () => {
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.admin.host, '0.0.0.0', 'the kubelet calls the probes on the pod IP');
    assert.equal(config.server.workers, 1, 'one process per pod: replicas scale');
    assert.equal(config.log.format, 'json');
    assert.equal(config.log.access_log, true);
    assert.equal(config.storage, secretEnv.DATABASE_URL);
    assert.match(config.storage, /^postgres:\/\//, 'a read-only root file system has no place for SQLite');
    assert.equal(config.redis, secretEnv.REDIS_URL);
    assert.deepEqual(config.admin.tokens, [{ token: secretEnv.TOLLGATE_ADMIN_TOKEN, role: 'admin' }]);
    assert.ok(config.plugins['key-auth'], 'key-auth on: the data plane is reachable from the whole cluster');
  });

  it('ports and probes match the config: data plane on the Service, probes and /metrics on the admin port, which no Service exposes', () => {
    assert.equal(portNumber('http'), config.server.port);
    assert.equal(portNumber('admin'), config.admin.port);
    for (const port of service.spec.ports) {
      assert.equal(portNumber(port.targetPort), config.server.port);
      assert.notEqual(portNumber(port.targetPort), config.admin.port);
    }
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.ok(['/healthz', '/readyz'].includes(container.startupProbe.httpGet.path));
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) assert.equal(portNumber(probe.httpGet.port), config.admin.port);
    const annotations = deployment.spec.template.metadata.annotations;
    assert.equal(annotations['prometheus.io/scrape'], 'true');
    assert.equal(Number(annotations['prometheus.io/port']), config.admin.port);
    assert.equal(annotations['prometheus.io/path'], '/metrics');
  });

  it('shutdown: the grace period covers preStop and the drain', () => {
    const preStop = container.lifecycle?.preStop?.exec?.command ?? [];
    const preStopSeconds = preStop[0] === 'sleep' ? Number(preStop[1]) : 0;
    const drainSeconds = toMilliseconds(config.server.drain_timeout) / 1000;
    assert.ok(deployment.spec.template.spec.terminationGracePeriodSeconds > preStopSeconds + drainSeconds, `${deployment.spec.template.spec.terminationGracePeriodSeconds} s > ${preStopSeconds} s preStop + ${drainSeconds} s drain_timeout`);
    assert.equal(deployment.spec.template.spec.enableServiceLinks, false, 'no TOLLGATE_PORT=tcp://... from the Service named tollgate');
  });

  it('the container runs the image as built: its ENTRYPOINT, CMD as args, the ConfigMap at TOLLGATE_CONFIG', () => {
    assert.equal(container.command, undefined, 'the ENTRYPOINT (node with the flags of npm start) stays');
    assert.deepEqual(container.args, execForm(lastOf(runtime, 'CMD')!));
    const mount = container.volumeMounts.find((each) => each.mountPath === posix.dirname(imageConfigPath));
    assert.ok(mount, `a volume at ${posix.dirname(imageConfigPath)}`);
    assert.equal(mount.subPath, undefined, 'a whole-folder mount, which the kubelet updates');
    assert.equal(deployment.spec.template.spec.volumes.find((volume) => volume.name === mount.name)?.configMap?.name, configMap.metadata.name);
    assert.equal(lastOf(runtime, 'USER')?.text, 'node');
  });

  it('restricted security: non-root (the image user node is uid 1000), read-only root file system, no privilege escalation, no capabilities', () => {
    const pod = deployment.spec.template.spec.securityContext;
    assert.equal(pod.runAsNonRoot, true);
    assert.equal(pod.runAsUser, 1000);
    assert.equal(pod.seccompProfile.type, 'RuntimeDefault');
    assert.equal(container.securityContext.readOnlyRootFilesystem, true);
    assert.equal(container.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
    assert.ok(container.volumeMounts.some((mount) => mount.mountPath === '/tmp'), 'a writable /tmp');
  });

  it('the ConfigMap config passes `tollgate config validate` with every variable it needs in the Secret', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tollgate-configmap-'));
    try {
      const file = join(folder, 'tollgate.yaml');
      writeFileSync(file, configText);
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [join(repoRoot, 'src/cli/main.ts'), 'config', 'validate', file], { env: { PATH: process.env.PATH, ...secretEnv } });
        let output = '';
        child.stdout.on('data', (piece: Buffer) => (output += piece.toString()));
        child.stderr.on('data', (piece: Buffer) => (output += piece.toString()));
        child.on('close', (code) => resolve({ code, output }));
      });
      assert.equal(result.code, 0, result.output);
      assert.match(result.output, /: valid\./);
      assert.doesNotMatch(result.output, /warning/, 'no variable the config needs is missing from the Secret');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
