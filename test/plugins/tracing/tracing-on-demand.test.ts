// With tracing off, neither the plugin's code nor any OpenTelemetry package is imported, and
// nothing is exported; a reload that turns it on imports both and exports. Every module
// resolution is recorded from the first line on (as test/core/implementations-on-demand.test.ts),
// so the gateway is imported dynamically, after the hook is in place.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { registerHooks } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

const resolved = new Set<string>();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    resolved.add(result.url);
    return result;
  },
});

const { startGateway } = await import('../../helpers/start-gateway.ts');
const { startCollector } = await import('./otlp-collector.ts');

const implementation = new URL('../../../src/plugins/tracing/index.ts', import.meta.url).href;
const definition = new URL('../../../src/plugins/tracing/definition.ts', import.meta.url).href;
// @opentelemetry/api itself is loaded anyway: prom-client imports it (for exemplars). The SDK,
// the exporter and what they bring are the weight tracing adds.
const openTelemetryLoaded = (): boolean => [...resolved].some((url) => /\/node_modules\/@opentelemetry\/(?!api\/)/.test(url));

function chat(url: string): Promise<Response> {
  return fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo/x', messages: [{ role: 'user', content: 'hello' }] }) });
}

describe('tracing code on demand', () => {
  it('off: no import of the plugin or OpenTelemetry, nothing exported; a reload that turns it on does both', async () => {
    const collector = await startCollector();
    const folder = await mkdtemp(join(tmpdir(), 'tollgate-tracing-'));
    const path = join(folder, 'tollgate.yaml');
    await writeFile(path, 'log: { level: info }\n');
    // The standard variables alone do not turn tracing on.
    const gw = await startGateway('', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.baseUrl }, { configPath: path });
    try {
      assert.equal((await chat(gw.url)).status, 200);
      await sleep(100);
      assert.ok(resolved.has(definition), 'the definition is there for config validation');
      assert.equal(resolved.has(implementation), false, 'src/plugins/tracing/index.ts was imported with tracing off');
      assert.equal(openTelemetryLoaded(), false, 'the OpenTelemetry SDK was imported with tracing off');
      assert.equal(collector.payloads.length, 0, 'something was exported with tracing off');

      await writeFile(path, 'plugins: { tracing: { flush_interval: 10ms } }\n');
      assert.equal(await gw.gateway.reload(), true);
      assert.ok(resolved.has(implementation) && openTelemetryLoaded(), 'the reload imported the tracing plugin and OpenTelemetry');
      const response = await chat(gw.url);
      assert.equal(response.status, 200);
      assert.equal((await collector.spansOf(response.headers.get('x-request-id')!)).length, 2);
    } finally {
      await gw.close();
      await collector.close();
    }
  });
});
