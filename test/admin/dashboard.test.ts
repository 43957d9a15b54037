import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { UsageRecord } from '../../src/store/store.ts';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// The dashboard (dashboard/, served by src/admin/dashboard-files.ts) over HTTP, then in Debian's
// Chromium driven by playwright-core against a real gateway with key-auth on.

const loadedModules = createRequire(import.meta.url).cache;
const fastifyLoaded = () => Object.keys(loadedModules).some((path) => path.includes('/node_modules/fastify/'));

const adminToken = 'dashboard-admin-token';
const viewerToken = 'dashboard-viewer-token';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const config = `admin: { tokens: [{ token: ${adminToken}, role: admin }, { token: ${viewerToken}, role: viewer }] }
plugins: { key-auth: {} }`;

async function admin<T = Record<string, any>>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/** The status of an Admin API read, for the ones expected to fail (a deleted team's 404). */
async function adminStatus(gw: RunningGateway, path: string): Promise<number> {
  const response = await fetch(`${gw.adminUrl}${path}`, { headers: { authorization: `Bearer ${adminToken}` } });
  await response.arrayBuffer();
  return response.status;
}

async function chat(gw: RunningGateway, key: string, model = 'echo/dashboard-model'): Promise<number> {
  const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello dashboard' }] }) });
  await response.arrayBuffer();
  return response.status;
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** One usage-ledger record at `at`, written straight into the store (the chart's test needs the past). */
function usageRecord(at: string, cost: number, status = 200): UsageRecord {
  return {
    id: `use_${randomUUID()}`, request_id: randomUUID(), at, consumer: 'checkout', consumer_id: 'config:checkout', key_id: null, team: null, team_id: null, route: null, variant: null, provider: 'echo', operation: 'chat',
    requested_model: 'echo/history', model: 'history', input_tokens: 3, output_tokens: 4, cached_tokens: 0, reasoning_tokens: 0, cost_usd: cost, cost_estimated: false, latency_ms: 2,
    ttft_ms: null, status, error_type: status >= 400 ? 'api_error' : null, error_code: status >= 400 ? 'upstream_error' : null, cache_hit: false, stream: false,
  };
}

describe('the dashboard over HTTP', () => {
  let gw: RunningGateway;
  before(async () => {
    gw = await startGateway(config);
  });
  after(() => gw.close());

  /** dashboard.js and every module it imports, followed through the server (what the browser loads). */
  async function scripts(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const pending = ['dashboard.js'];
    while (pending.length > 0) {
      const name = pending.pop()!;
      if (found.has(name)) continue;
      const text = await (await fetch(`${gw.adminUrl}/dashboard/${name}`)).text();
      found.set(name, text);
      for (const [, imported] of text.matchAll(/^import [^;]*? from '\.\/([\w-]+\.js)';$/gm)) pending.push(imported);
    }
    return found;
  }

  it('serves its files on the admin listener with a strict Content-Security-Policy', async () => {
    const modules = [...(await scripts()).keys()].map((name) => [`/dashboard/${name}`, 'text/javascript']);
    assert.ok(modules.length > 1, 'the modules dashboard.js imports');
    for (const [path, type] of [['/dashboard/', 'text/html'], ['/dashboard/index.html', 'text/html'], ['/dashboard/dashboard.css', 'text/css'], ...modules]) {
      const response = await fetch(`${gw.adminUrl}${path}`);
      assert.equal(response.status, 200, path);
      assert.ok(response.headers.get('content-type')?.startsWith(type), `${path}: ${response.headers.get('content-type')}`);
      const policy = response.headers.get('content-security-policy') ?? '';
      assert.match(policy, /^default-src 'self'(;|$)/, path);
      assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|\*/, path);
      assert.match(policy, /frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.ok((await response.text()).length > 100);
    }
    // This file's first requests: the page costs no Fastify (the Admin API it then calls does).
    assert.equal(fastifyLoaded(), false, 'serving the dashboard loaded Fastify');
    const html = await (await fetch(`${gw.adminUrl}/dashboard/`)).text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son\w+=|https?:\/\//i, 'no inline script or style, no external URL');
  });

  it('builds the page with DOM calls only: no HTML from strings, no inline style, no other origin', async () => {
    for (const [name, text] of await scripts()) {
      assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|\beval\(|new Function/, name);
      assert.doesNotMatch(text, /\.style\b|'style'|cssText/, `${name}: no inline style (the CSP refuses it)`);
      // The SVG namespace is a name, not a place anything is loaded from.
      assert.doesNotMatch(text.replaceAll('http://www.w3.org/2000/svg', ''), /https?:\/\/|\bimport\(/, `${name}: nothing from another origin`);
    }
  });

  it('redirects / and /dashboard to /dashboard/ and refuses anything but its own files', async () => {
    for (const path of ['/', '/dashboard']) {
      const response = await fetch(`${gw.adminUrl}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 302, path);
      assert.equal(response.headers.get('location'), '/dashboard/');
    }
    for (const path of ['/dashboard/missing.js', '/dashboard/..%2Fpackage.json', '/dashboard/%2e%2e/package.json', '/dashboard/.hidden.js', '/dashboard/sub/dashboard.js', '/dashboard/../package.json']) {
      const response = await fetch(`${gw.adminUrl}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unknown_url', path);
    }
    const head = await fetch(`${gw.adminUrl}/dashboard/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
  });

  it('is not served on the data-plane port', async () => {
    for (const path of ['/dashboard/', '/dashboard/dashboard.js', '/']) {
      const response = await fetch(`${gw.url}${path}`, { redirect: 'manual' });
      assert.notEqual(response.status, 200, path);
      assert.notEqual(response.status, 302, path);
      assert.doesNotMatch(await response.text(), /Tollgate dashboard|<html/i, path);
    }
  });
});

const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Why the browser tests cannot run here (CI installs Chromium: .ci/run), or null. */
const problem = existsSync(chromiumPath) ? null : `${chromiumPath} is missing (apt-get install -y chromium)`;

if (problem !== null) {
  if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') {
    it('the dashboard in Chromium (required: TOLLGATE_REQUIRE_SERVICES=1)', () => assert.fail(`Chromium is required but ${problem}`));
  } else {
    process.stderr.write(`\n${'!'.repeat(78)}\n!! SKIP: ${problem}.\n!! The dashboard's browser tests are SKIPPED. TOLLGATE_REQUIRE_SERVICES=1 makes this a failure.\n${'!'.repeat(78)}\n\n`);
    it(`SKIPPED: the dashboard in Chromium (${problem})`, { skip: problem }, () => {});
  }
} else {
  describe('the dashboard in Chromium', () => {
    let gw: RunningGateway;
    let browser: Browser;
    let trafficKey: string;

    before(async () => {
      [gw, browser] = await Promise.all([startGateway(config), chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs })]);
      await admin(gw, 'POST', '/consumers', { name: 'checkout' });
      trafficKey = (await admin<{ key: string }>(gw, 'POST', '/keys', { consumer: 'checkout', name: 'traffic' })).key;
      for (let request = 0; request < 3; request++) assert.equal(await chat(gw, trafficKey), 200);
    });
    after(async () => {
      await browser?.close();
      await gw?.close();
    });

    /** A fresh tab (its own session storage) on the dashboard; failures of the page itself fail the test. */
    async function open(): Promise<{ page: Page; pageErrors: string[] }> {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(5000);
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const path = new URL(message.location().url || 'http://x/').pathname;
        const status = /status of (\d+)/.exec(message.text())?.[1];
        // 401 and 403 are the API's answers the page shows. Any other failed call is noted as
        // "status path", for the tests that expect one.
        if (status === '401' || status === '403') return;
        pageErrors.push(status === undefined ? message.text() : `${status} ${path}`);
      });
      page.on('dialog', (dialog) => void dialog.accept());
      await page.goto(`${gw.adminUrl}/`);
      assert.equal(new URL(page.url()).pathname, '/dashboard/');
      return { page, pageErrors };
    }

    async function signIn(page: Page, token: string): Promise<void> {
      await page.getByRole('textbox', { name: 'Token' }).fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }

    it('shows the API error for a wrong token and asks for it again', async () => {
      const { page, pageErrors } = await open();
      await signIn(page, 'not-the-token');
      await page.getByRole('alert').filter({ hasText: 'invalid_admin_token' }).waitFor();
      assert.equal(await page.getByRole('textbox', { name: 'Token' }).isVisible(), true);
      assert.equal(await page.locator('#app').isVisible(), false);
      assert.equal(await page.evaluate(() => sessionStorage.getItem('tollgate-admin-token')), null, 'a refused token is not kept');
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('shows the overview, the providers and the health line', async () => {
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      await page.locator('[data-total="requests"] dd').filter({ hasText: '3' }).waitFor();
      assert.equal(await page.locator('[data-total="errors"] dd').textContent(), '0');
      assert.match((await page.locator('[data-total="cost"] dd').textContent()) ?? '', /^\$\d/);
      const tokens = Number((await page.locator('[data-total="tokens"] dd').textContent())?.replace(/,/g, ''));
      assert.ok(tokens > 0, `tokens: ${tokens}`);
      const byModel = page.getByRole('table', { name: 'Usage by model' });
      await byModel.getByRole('row').filter({ hasText: 'echo/dashboard-model' }).filter({ hasText: '3' }).waitFor();
      await page.getByRole('table', { name: 'Usage by consumer and key' }).getByRole('row').filter({ hasText: 'checkout' }).filter({ hasText: 'traffic' }).waitFor();
      await page.getByRole('table', { name: 'Providers' }).getByRole('row').filter({ hasText: 'echo' }).waitFor();
      await page.locator('#health').filter({ hasText: /^Ready/ }).waitFor();
      await page.getByRole('combobox', { name: 'Period' }).selectOption('168');
      await page.locator('[data-total="requests"] dd').filter({ hasText: '3' }).waitFor();
      assert.equal(await page.getByRole('alert').isVisible(), false);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('creates a key whose secret is shown once and works on the data plane, then revokes it', async () => {
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      await page.getByRole('combobox', { name: 'Consumer' }).selectOption({ label: 'checkout' });
      await page.locator('#key-name').fill('from-dashboard');
      await page.getByRole('button', { name: 'Create key' }).click();
      const shown = page.getByRole('status').filter({ hasText: /^tg-/ });
      await shown.waitFor();
      const secret = (await shown.textContent()) ?? '';
      assert.match(secret, /^tg-[\w-]{20,}$/);
      assert.equal(await chat(gw, secret), 200, 'the new key calls the data plane');
      const row = page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'from-dashboard' });
      await row.waitFor();
      assert.equal((await row.textContent())?.includes(secret), false, 'the list shows the display form only');

      await page.getByRole('button', { name: 'I have saved it' }).click();
      assert.equal(await page.locator('#new-secret').isVisible(), false);
      await page.reload();
      await page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'from-dashboard' }).waitFor();
      assert.equal((await page.content()).includes(secret), false, 'the secret is not shown again');

      await page.getByRole('button', { name: /^Revoke key from-dashboard/ }).click();
      await page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'from-dashboard' }).waitFor({ state: 'detached' });
      assert.equal(await chat(gw, secret), 401, 'the revoked key is refused');
      assert.equal(await chat(gw, trafficKey), 200);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('disables and enables a key', async () => {
      const { key } = await admin<{ key: string }>(gw, 'POST', '/keys', { consumer: 'checkout', name: 'toggled' });
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      await page.getByRole('button', { name: /^Disable key toggled/ }).click();
      await page.getByRole('button', { name: /^Enable key toggled/ }).waitFor();
      assert.equal(await chat(gw, key), 401);
      await page.getByRole('button', { name: /^Enable key toggled/ }).click();
      await page.getByRole('button', { name: /^Disable key toggled/ }).waitFor();
      assert.equal(await chat(gw, key), 200);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('creates, renames and deletes a team, moving a consumer into it and out again', async () => {
      await admin(gw, 'POST', '/consumers', { name: 'mover' });
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      await page.locator('#team-name').fill('payments');
      await page.locator('#team-metadata').fill('{"tier": "gold", "region": "eu"}');
      await page.getByRole('button', { name: 'Create team' }).click();
      const teams = page.getByRole('table', { name: 'Teams' });
      const teamRow = (name: string) => teams.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
      await teamRow('payments').waitFor();
      assert.match((await teamRow('payments').textContent()) ?? '', /tier=gold, region=eu/);
      const team = await admin<{ id: string; metadata: Record<string, string> }>(gw, 'GET', '/teams/payments');
      assert.deepEqual(team.metadata, { tier: 'gold', region: 'eu' });

      // Into the team: the consumer's row and the team's count say so, and so does the API.
      const consumers = page.getByRole('table', { name: 'Consumers' });
      const moverRow = consumers.getByRole('row').filter({ has: page.getByRole('cell', { name: 'mover', exact: true }) });
      await page.getByRole('button', { name: 'Change team of mover' }).click();
      await page.getByRole('combobox', { name: 'New team for mover' }).selectOption({ label: 'payments' });
      await page.getByRole('button', { name: 'Move mover' }).click();
      await moverRow.getByRole('cell', { name: 'payments', exact: true }).waitFor();
      assert.equal((await admin<{ team_id: string }>(gw, 'GET', '/consumers/mover')).team_id, team.id);
      assert.equal(await teamRow('payments').getByRole('cell').nth(1).textContent(), '1', 'one consumer');

      // A team with a consumer cannot be deleted: the API's 409 is shown, the team stays.
      await page.getByRole('button', { name: 'Delete team payments' }).click();
      await page.getByRole('alert').filter({ hasText: `DELETE /teams/${team.id}: 409 conflict` }).waitFor();
      assert.equal(await adminStatus(gw, `/teams/${team.id}`), 200);

      await page.getByRole('button', { name: 'Rename team payments' }).click();
      await page.getByRole('textbox', { name: 'New name for team payments' }).fill('billing');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await teamRow('billing').waitFor();
      assert.equal((await admin<{ id: string }>(gw, 'GET', '/teams/billing')).id, team.id);
      assert.equal(await adminStatus(gw, '/teams/payments'), 404);
      await moverRow.getByRole('cell', { name: 'billing', exact: true }).waitFor();

      // The audit log, newest first, shows who renamed it and what changed.
      const audit = page.getByRole('table', { name: 'Audit log' });
      const actor = 'admin-token:#1';
      const newest = audit.getByRole('row').nth(1);
      await newest.filter({ hasText: 'update' }).filter({ hasText: team.id }).waitFor();
      const cells = await newest.getByRole('cell').allTextContents();
      assert.deepEqual(cells.slice(1, 4), [actor, 'update', 'teams']);
      assert.equal(cells[5], 'name: payments → billing');

      // Out of the team again, then the team can go.
      await page.getByRole('button', { name: 'Change team of mover' }).click();
      await page.getByRole('combobox', { name: 'New team for mover' }).selectOption({ label: 'No team' });
      await page.getByRole('button', { name: 'Move mover' }).click();
      await moverRow.getByRole('cell').nth(1).filter({ hasText: /^—$/ }).waitFor();
      assert.equal((await admin<{ team_id: string | null }>(gw, 'GET', '/consumers/mover')).team_id, null);
      await page.getByRole('button', { name: 'Delete team billing' }).click();
      await teamRow('billing').waitFor({ state: 'detached' });
      assert.equal(await adminStatus(gw, `/teams/${team.id}`), 404);
      await newest.filter({ hasText: 'delete' }).filter({ hasText: team.id }).waitFor();
      assert.deepEqual(pageErrors, [`409 /teams/${team.id}`], 'the refused delete only');
      await page.context().close();
    });

    it('disables and enables a consumer, whose keys follow', async () => {
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      const row = page.getByRole('table', { name: 'Consumers' }).getByRole('row').filter({ has: page.getByRole('cell', { name: 'checkout', exact: true }) });
      await page.getByRole('button', { name: 'Disable consumer checkout' }).click();
      await row.getByRole('cell', { name: 'disabled' }).waitFor();
      assert.equal((await admin<{ enabled: boolean }>(gw, 'GET', '/consumers/checkout')).enabled, false);
      assert.equal(await chat(gw, trafficKey), 401);
      await page.getByRole('button', { name: 'Enable consumer checkout' }).click();
      await row.getByRole('cell', { name: 'enabled' }).waitFor();
      assert.equal(await chat(gw, trafficKey), 200);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it("edits a key's limits, budget, models, expiry and metadata; the API holds them and enforces the limit", async () => {
      const created = await admin<{ id: string; key: string }>(gw, 'POST', '/keys', { consumer: 'checkout', name: 'limited', limits: { rpm: 100 }, ips: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] });
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      await page.getByRole('button', { name: /^Edit key limited/ }).click();
      const form = page.getByRole('form', { name: /^Key limited/ });
      // The stored shorthand reads as a row.
      assert.equal(await form.getByRole('spinbutton', { name: 'Limit 1 amount' }).inputValue(), '100');
      assert.equal(await form.getByRole('combobox', { name: 'Limit 1 unit' }).inputValue(), 'requests');
      assert.equal(await form.getByRole('combobox', { name: 'Limit 1 period' }).inputValue(), 'minute');

      await form.getByRole('spinbutton', { name: 'Limit 1 amount' }).fill('2');
      await form.getByRole('button', { name: 'Add a limit' }).click();
      await form.getByRole('spinbutton', { name: 'Limit 2 amount' }).fill('100000');
      await form.getByRole('combobox', { name: 'Limit 2 unit' }).selectOption('tokens');
      await form.getByRole('combobox', { name: 'Limit 2 period' }).selectOption('day');
      await form.getByRole('spinbutton', { name: /^Most spend in USD/ }).fill('5');
      await form.getByRole('combobox', { name: /^Per \(calendar/ }).selectOption('day');
      await form.getByRole('textbox', { name: /^Allowed models/ }).fill('echo/dashboard-*');
      await form.getByLabel(/^Expires at, UTC/).fill('2036-01-01T00:00');
      await form.getByRole('textbox', { name: /^Metadata/ }).fill('{"owner": "ops"}');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved: models, limits, budget, expires_at, metadata.' }).waitFor();

      const stored = await admin<Record<string, unknown>>(gw, 'GET', `/keys/${created.id}`);
      assert.deepEqual(stored.limits, [{ requests: 2, per: 'minute' }, { tokens: 100000, per: 'day' }]);
      assert.deepEqual(stored.budget, { max_usd: 5, period: 'day' });
      assert.deepEqual(stored.models, ['echo/dashboard-*']);
      assert.equal(stored.expires_at, '2036-01-01T00:00:00.000Z');
      assert.deepEqual(stored.metadata, { owner: 'ops' });
      assert.deepEqual(stored.ips, ['127.0.0.1', '::1', '::ffff:127.0.0.1'], 'a field not touched is not sent');
      const row = page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'limited' });
      await row.filter({ hasText: '2 limits, $5/day' }).filter({ hasText: '2036-01-01 00:00 UTC' }).waitFor();

      // The gateway enforces what was saved: 2 requests a minute, and only the models allowed.
      assert.equal(await chat(gw, created.key), 200);
      assert.equal(await chat(gw, created.key), 200);
      assert.equal(await chat(gw, created.key), 429);
      assert.equal(await chat(gw, created.key, 'echo/other-model'), 403);

      // The key's own audit log shows the change, limits before and after.
      await page.getByRole('button', { name: 'Show its audit log' }).click();
      const audit = page.getByRole('table', { name: 'Audit log' });
      await audit.getByRole('row').nth(2).waitFor();
      const entries = await audit.getByRole('row').evaluateAll((rows) => rows.slice(1).map((row) => row.textContent));
      assert.equal(entries.length, 2, 'its create and its update only');
      assert.match(entries[0] ?? '', /update.*keys.*limited.*limits: \{"rpm":100\} → \[\{"requests":2,"per":"minute"\},\{"tokens":100000,"per":"day"\}\]/s);
      assert.match(entries[1] ?? '', /create.*keys/s);
      assert.equal(await page.getByRole('combobox', { name: 'Resource' }).inputValue(), 'keys');
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it("shows the API's 400 next to the key form and marks the field it names", async () => {
      const created = await admin<{ id: string }>(gw, 'POST', '/keys', { consumer: 'checkout', name: 'strict', limits: [{ requests: 10, per: 'minute' }] });
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      await page.getByRole('button', { name: /^Edit key strict/ }).click();
      const form = page.getByRole('form', { name: /^Key strict/ });
      await form.getByRole('combobox', { name: 'Limit 1 period' }).selectOption('');
      await form.getByRole('button', { name: 'Save changes' }).click();
      const problem = form.getByRole('alert');
      await problem.filter({ hasText: `PATCH /keys/${created.id}: 400 invalid_request` }).waitFor();
      assert.match((await problem.textContent()) ?? '', /limits\[0\]\.per: a limit needs a period/);
      assert.equal(await form.getByRole('combobox', { name: 'Limit 1 period' }).getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#error').isVisible(), false, 'shown by the form, not the top box');
      assert.deepEqual((await admin<{ limits: unknown }>(gw, 'GET', `/keys/${created.id}`)).limits, [{ requests: 10, per: 'minute' }], 'nothing was written');

      // Fixed, it saves, and the mark goes.
      await form.getByRole('combobox', { name: 'Limit 1 period' }).selectOption('hour');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved: limits.' }).waitFor();
      assert.equal(await form.getByRole('alert').isVisible(), false);
      assert.deepEqual((await admin<{ limits: unknown }>(gw, 'GET', `/keys/${created.id}`)).limits, [{ requests: 10, per: 'hour' }]);
      assert.deepEqual(pageErrors, [`400 /keys/${created.id}`]);
      await page.context().close();
    });

    it('draws requests and cost over time: a bar for each period with traffic, titled with its numbers', async () => {
      const now = Date.now();
      const ago = (hours: number) => new Date(now - hours * 3600_000).toISOString();
      await gw.gateway.identity.store.insertUsage([
        usageRecord(ago(3), 0.25), usageRecord(ago(3), 0.25),
        usageRecord(ago(5), 1.25, 500),
        ...[1, 2, 3, 4].map(() => usageRecord(ago(72), 0.1)),
        usageRecord(ago(20 * 24), 2),
        usageRecord(ago(40 * 24), 7),
      ]);
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);

      /** What the API says about the periods the chart shows (hours: this one and the 23 before; days: today and before). */
      async function expected(interval: 'hour' | 'day', count: number) {
        const step = interval === 'hour' ? 3600_000 : 86_400_000;
        const from = new Date(Math.floor(Date.now() / step) * step - (count - 1) * step).toISOString();
        return (await admin<{ data: Array<{ period: string; requests: number; cost_usd: number }> }>(gw, 'GET', `/usage?interval=${interval}&from=${from}`)).data;
      }
      const bars = page.locator('svg[data-metric="requests"] rect.bar');
      const titleOf = (period: string) => page.locator(`svg[data-metric="requests"] rect.bar[data-period="${period}"] title`).textContent();
      const hourOf = (time: string) => `${time.slice(0, 13)}:00Z`;

      // 24 hours, by hour.
      const hours = await expected('hour', 24);
      assert.ok(hours.length >= 3, JSON.stringify(hours));
      await page.locator(`svg[data-metric="requests"] rect.bar[data-period="${hourOf(ago(3))}"]`).waitFor();
      assert.equal(await bars.count(), hours.length);
      assert.deepEqual(await bars.evaluateAll((rects) => rects.map((rect) => rect.getAttribute('data-period'))), hours.map((row) => row.period));
      assert.match((await titleOf(hourOf(ago(3)))) ?? '', /^\d{4}-\d\d-\d\d \d\d:00 UTC: 2 requests, \$0\.50$/);
      assert.match((await titleOf(hourOf(ago(5)))) ?? '', /: 1 request, \$1\.25, 1 error$/);
      assert.equal(await page.locator('svg[data-metric="cost_usd"] rect.bar').count(), hours.length);
      assert.equal(await page.getByRole('img', { name: /^Requests per hour/ }).count(), 1, 'the chart is named for assistive technology');
      // Taller bar, more requests: the 2-request hour is twice the 1-request hour.
      const height = async (period: string) => Number(await page.locator(`svg[data-metric="requests"] rect.bar[data-period="${period}"]`).getAttribute('height'));
      assert.ok(Math.abs((await height(hourOf(ago(3)))) - 2 * (await height(hourOf(ago(5))))) < 0.1);
      // The table under the chart has the same numbers.
      await page.getByText(/^The same as a table/).click();
      await page.getByRole('table', { name: 'Usage per hour' }).getByRole('row').filter({ hasText: '$1.25' }).filter({ hasText: '1' }).waitFor();

      // 7 and 30 days, by day.
      for (const [range, count, inside, outside] of [['168', 7, 72, 20 * 24], ['720', 30, 20 * 24, 40 * 24]] as const) {
        await page.getByRole('combobox', { name: 'Period' }).selectOption(range);
        const days = await expected('day', count);
        await page.locator(`svg[data-metric="requests"] rect.bar[data-period="${ago(inside).slice(0, 10)}"]`).waitFor();
        assert.equal(await bars.count(), days.length, range);
        assert.equal(await page.locator(`svg[data-metric="requests"] rect.bar[data-period="${ago(outside).slice(0, 10)}"]`).count(), 0, `${range}: older than the range`);
        for (const row of days) {
          const title = `${row.period}: ${row.requests} request${row.requests === 1 ? '' : 's'}, ${dollars.format(row.cost_usd)}`;
          assert.ok((await titleOf(row.period))?.startsWith(title), `${range}: ${await titleOf(row.period)} is not ${title}…`);
        }
      }
      assert.match((await titleOf(ago(72).slice(0, 10))) ?? '', /: 4 requests, \$0\.40$/);
      assert.match((await titleOf(ago(20 * 24).slice(0, 10))) ?? '', /: 1 request, \$2\.00$/);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    /** The buttons a viewer may see: none of them writes. */
    const readOnlyButtons = new Set(['Forget token', 'Refresh', 'Details', 'Show', 'Load more', 'Show its audit log', 'Close']);

    it('shows a viewer token no write controls, only what it may read', async () => {
      await admin(gw, 'POST', '/keys', { consumer: 'checkout', name: 'kept' });
      await admin(gw, 'POST', '/teams', { name: 'viewed' });
      const { page, pageErrors } = await open();
      await signIn(page, viewerToken);
      await page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'kept' }).waitFor();
      await page.locator('[data-total="requests"] dd').waitFor();
      await page.getByRole('table', { name: 'Audit log' }).waitFor();
      await page.getByText('Signed in with a viewer token').waitFor();
      const shown = new Set((await page.getByRole('button').allTextContents()).map((text) => text.trim()));
      assert.deepEqual([...shown].filter((text) => !readOnlyButtons.has(text)), [], `buttons a viewer sees: ${[...shown].join(', ')}`);
      for (const form of ['Create a key', 'Add a consumer', 'Create a team']) assert.equal(await page.getByRole('form', { name: form }).count(), 0, form);
      assert.equal(await page.getByRole('table', { name: 'Keys' }).getByRole('columnheader', { name: 'Actions' }).count(), 1, 'the keys keep their Details button');
      await page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: 'viewed' }).waitFor();
      assert.equal(await page.getByRole('table', { name: 'Teams' }).getByRole('columnheader', { name: 'Actions' }).count(), 0);
      assert.equal(await page.getByRole('table', { name: 'Consumers' }).getByRole('columnheader', { name: 'Actions' }).count(), 0);

      // A key's details are there to read, in fields that cannot be changed.
      await page.getByRole('button', { name: /^Details of key kept/ }).click();
      const name = page.locator('#key-detail').getByRole('textbox', { name: 'Name', exact: true });
      assert.equal(await name.inputValue(), 'kept');
      assert.equal(await name.isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0);
      assert.equal(await page.getByRole('alert').isVisible(), false);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it("still shows the API's 403 with its code if a viewer's write gets through, then hides the controls", async () => {
      const { page, pageErrors } = await open();
      // Make the page misjudge the token as an admin's: its role question (GET /whoami) answers as for one.
      await page.route('**/whoami', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ role: 'admin', actor: 'admin-token:00000000' }) }));
      await signIn(page, viewerToken);
      await page.getByRole('combobox', { name: 'Consumer' }).selectOption({ label: 'checkout' });
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByRole('alert').filter({ hasText: 'POST /keys: 403 read_only_token' }).waitFor();
      assert.equal(await page.locator('#new-secret').isVisible(), false);
      // The page has learnt: the write controls are gone, the message stays.
      await page.getByRole('button', { name: 'Create key' }).waitFor({ state: 'hidden' });
      assert.equal(await page.getByRole('button', { name: /^Revoke key/ }).count(), 0);
      assert.equal(await page.getByText('Signed in with a viewer token').isVisible(), true);
      assert.equal(await page.getByRole('alert').filter({ hasText: 'read_only_token' }).isVisible(), true);
      assert.equal(await page.locator('#app').isVisible(), true, 'still signed in');
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('shows an expiry sent with an offset in UTC', async () => {
      await admin(gw, 'POST', '/keys', { consumer: 'checkout', name: 'eastern', expires_at: '2037-03-01T20:00:00-05:00' });
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      const row = page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'eastern' });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /2037-03-02 01:00 UTC/);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('renders values from the API as text, never as markup', async () => {
      const hostile = '<img src=x onerror="window.__pwned=1">';
      const svgTeam = '<svg onload="window.__pwned=2"><script>window.__pwned=3</script></svg>';
      await admin(gw, 'POST', '/teams', { name: svgTeam, metadata: { note: '<i>x</i>' } });
      await admin(gw, 'POST', '/consumers', { name: hostile, team: svgTeam });
      const key = await admin<{ id: string }>(gw, 'POST', '/keys', { consumer: hostile, name: '<b>bold</b>', metadata: { '<u>k</u>': '<img src=y>' } });
      const { page, pageErrors } = await open();
      await signIn(page, adminToken);
      await page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: '<b>bold</b>' }).filter({ hasText: hostile }).waitFor();
      await page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: svgTeam }).filter({ hasText: 'note=<i>x</i>' }).waitFor();
      await page.getByRole('table', { name: 'Consumers' }).getByRole('row').filter({ hasText: hostile }).filter({ hasText: svgTeam }).waitFor();
      await page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: key.id }).filter({ hasText: '<img src=y>' }).waitFor();
      await page.getByRole('button', { name: /^Edit key <b>bold<\/b>/ }).click();
      assert.deepEqual(JSON.parse(await page.locator('#key-detail').getByRole('textbox', { name: /^Metadata/ }).inputValue()), { '<u>k</u>': '<img src=y>' });
      assert.equal(await page.locator('#app img, #app b, #app i, #app u, #app script').count(), 0);
      assert.equal(await page.locator('#app svg:not(.chart)').count(), 0, 'the only SVG is the chart');
      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });
  });

  describe('the dashboard in Chromium, with more consumers and keys than one page', () => {
    let gw: RunningGateway;
    let browser: Browser;
    const many = 1001;

    before(async () => {
      [gw, browser] = await Promise.all([startGateway(config), chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs })]);
      // Straight into the store: 2,000 Admin API calls would cost the test seconds.
      const store = gw.gateway.identity.store;
      for (let index = 0; index < many; index++) {
        const consumer = await store.createConsumer({ name: `bulk-${String(index).padStart(4, '0')}` }, 'test');
        await store.createKey({ consumer_id: consumer.id, name: `bulk-key-${index}` }, 'test');
      }
      await gw.gateway.identity.cache.refresh();
    });
    after(async () => {
      await browser?.close();
      await gw?.close();
    });

    it('loads every key and consumer but draws 100 keys at a time, finds any of them, and writes without loading the lists again', async () => {
      const recent = await admin<{ id: string; key: string }>(gw, 'POST', '/keys', { consumer: 'bulk-0000', name: 'recent-leaked' });
      const oldest = (await admin<{ data: Array<{ id: string; display: string }> }>(gw, 'GET', '/keys?limit=1')).data[0]!;
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('dialog', (dialog) => void dialog.accept());
      const listCalls: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (request.method() === 'GET' && ['/keys', '/teams', '/consumers'].includes(url.pathname)) listCalls.push(url.pathname);
      });
      await page.goto(`${gw.adminUrl}/dashboard/`);
      await page.getByRole('textbox', { name: 'Token' }).fill(adminToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // CSS rather than role locators: the accessibility tree of 1,000 rows is slow to query.
      const keys = page.locator('table[aria-label="Keys"]');
      const keyRows = keys.locator('tbody tr');
      const keyCount = page.locator('#key-count');
      await keyRows.filter({ hasText: 'recent-leaked' }).waitFor();
      assert.equal(await keyRows.count(), 100, 'the newest 100 keys are drawn, not 1,002');
      assert.match((await keyRows.first().textContent()) ?? '', /recent-leaked/, 'newest first');
      assert.equal(await keyCount.textContent(), '1,002 keys; the newest 100 shown, type in Find to narrow them');
      await page.getByRole('button', { name: 'Show 100 more' }).click();
      assert.equal(await keyRows.count(), 200);

      // The Find box reaches every key loaded (past the first page of 1,000): by name, key prefix, consumer or id.
      const find = page.getByRole('searchbox', { name: 'Find a key' });
      for (const [text, expected] of [['bulk-key-777', 'bulk-key-777'], [oldest.display, 'bulk-key-0'], ['BULK-0500', 'bulk-key-500'], [oldest.id, 'bulk-key-0']] as const) {
        await find.fill(text);
        await keyCount.filter({ hasText: /^1 of 1,002 keys$/ }).waitFor();
        assert.equal(await keyRows.count(), 1, text);
        assert.equal(await keyRows.first().locator('td').first().textContent(), expected, text);
      }
      await find.fill('no-such-key');
      await keys.waitFor({ state: 'detached' });
      assert.equal(await page.locator('#key-list').textContent(), 'No key matches.');
      await find.fill('');
      await keyRows.nth(99).waitFor();
      assert.equal(await keyRows.count(), 100, 'a new search starts at 100 rows again');
      const loads = listCalls.length;
      assert.ok(loads >= 5, `the lists were loaded: ${listCalls.join(', ')}`);

      await page.locator('#consumer-name').fill('newest-consumer');
      await page.getByRole('button', { name: 'Add consumer' }).click();
      const select = page.getByRole('combobox', { name: 'Consumer' });
      await select.locator('option', { hasText: 'newest-consumer' }).waitFor({ state: 'attached' });
      assert.equal(await select.locator('option').count(), many + 1);
      assert.equal(await select.inputValue(), (await admin<{ id: string }>(gw, 'GET', '/consumers/newest-consumer')).id, 'the consumer just added is chosen');
      await page.locator('#key-name').fill('for-newest');
      await page.getByRole('button', { name: 'Create key' }).click();
      const secret = (await page.getByRole('status').filter({ hasText: /^tg-/ }).textContent()) ?? '';
      assert.equal(await chat(gw, secret), 200);
      const made = keys.locator('tbody tr', { hasText: 'for-newest' });
      await made.waitFor();
      assert.match((await made.textContent()) ?? '', /newest-consumer/);

      assert.equal(await chat(gw, recent.key), 200);
      await page.getByRole('button', { name: /^Revoke key recent-leaked/ }).click();
      await keys.locator('tbody tr', { hasText: 'recent-leaked' }).waitFor({ state: 'detached' });
      assert.equal(await chat(gw, recent.key), 401, 'the revoked key is refused');
      assert.equal(await page.getByRole('alert').isVisible(), false);
      assert.equal(await keyCount.textContent(), '1,002 keys; the newest 100 shown, type in Find to narrow them', 'one made, one revoked');
      assert.deepEqual(listCalls.slice(loads), [], 'a write updates the lists from its answer instead of loading them again');

      // The audit log (2,000 entries and more): 50 a page, newest first; "Load more" follows next_cursor.
      const audit = page.locator('table[aria-label="Audit log"] tbody tr');
      await audit.first().filter({ hasText: recent.id }).filter({ hasText: 'delete' }).waitFor();
      assert.equal(await audit.count(), 50);
      await page.locator('#audit-more').click();
      await audit.nth(99).waitFor();
      assert.equal(await audit.count(), 100);
      const times = await audit.evaluateAll((rows) => rows.map((row) => row.querySelector('td')?.textContent ?? ''));
      assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
      const ids = await audit.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-audit')));
      assert.equal(new Set(ids).size, 100, 'the second page follows the first');
      // One key's history: its create and its revocation.
      await page.locator('#audit-resource').selectOption('keys');
      await page.locator('#audit-resource-id').fill(recent.id);
      await page.locator('#audit-filter button[type="submit"]').click();
      // The count line rather than a row: the unfiltered table's rows would match too until it is redrawn.
      await page.locator('#audit-shown').filter({ hasText: /^2 entries shown/ }).waitFor();
      await audit.nth(1).filter({ hasText: 'create' }).waitFor();
      assert.equal(await audit.count(), 2);
      assert.match((await audit.first().textContent()) ?? '', /delete.*keys.*recent-leaked/s);
      assert.equal(await page.locator('#audit-more').isVisible(), false);

      // Consumers: the first 200 of a thousand, and the Find box for the rest.
      assert.equal(await page.locator('#consumer-count').textContent(), '1,002 consumers; the first 200 shown, type in Find to narrow them');
      assert.equal(await page.locator('table[aria-label="Consumers"] tbody tr').count(), 200);
      await page.locator('#consumer-filter').fill('bulk-000');
      await page.locator('#consumer-count').filter({ hasText: '10 of 1,002 consumers' }).waitFor();
      assert.equal(await page.locator('table[aria-label="Consumers"] tbody tr').count(), 10);
      assert.deepEqual(pageErrors, []);
      await context.close();
    });
  });
}
