import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// The dashboard on a phone, a tablet and a desktop window, in Chromium (as dashboard.test.ts):
// the page is never wider than the window; a wide table scrolls sideways in its own box.

const adminToken = 'dashboard-layout-admin-token';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const problem = existsSync(chromiumPath) ? null : `${chromiumPath} is missing (apt-get install -y chromium)`;

async function admin<T = Record<string, any>>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

if (problem !== null) {
  if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') it('the dashboard layout in Chromium (required: TOLLGATE_REQUIRE_SERVICES=1)', () => assert.fail(`Chromium is required but ${problem}`));
  else it(`SKIPPED: the dashboard layout in Chromium (${problem})`, { skip: problem }, () => {});
} else {
  describe('the dashboard layout in Chromium', () => {
    let gw: RunningGateway;
    let browser: Browser;
    // Names with no place to break a line, as the audit tried.
    const long = 'x'.repeat(80);

    before(async () => {
      [gw, browser] = await Promise.all([startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }] }\nplugins: { key-auth: {} }`), chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs })]);
      await admin(gw, 'POST', '/teams', { name: `team-${long}`, metadata: { [`meta-${long}`]: long } });
      await admin(gw, 'POST', '/consumers', { name: `consumer-${long}`, team: `team-${long}` });
      const { key } = await admin<{ key: string }>(gw, 'POST', '/keys', { consumer: `consumer-${long}`, name: `key-${long}`, models: ['echo/*'], limits: [{ requests: 10, per: 'minute' }], expires_at: '2037-01-01T00:00:00Z' });
      await admin(gw, 'POST', '/keys', { consumer: `consumer-${long}`, name: 'short' });
      const response = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'echo/layout-model', messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(response.status, 200);
    });
    after(async () => {
      await browser?.close();
      await gw?.close();
    });

    for (const width of [375, 768, 1280]) {
      it(`fits a ${width} px window: no sideways scrolling of the page, tables scroll in their own box`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        page.setDefaultTimeout(5000);
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(`${gw.adminUrl}/dashboard/`);
        const pageWidth = () => page.locator('html').evaluate((html) => html.scrollWidth);
        assert.ok((await pageWidth()) <= width, `sign-in: ${await pageWidth()} px`);
        await page.getByRole('textbox', { name: 'Token' }).fill(adminToken);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('table', { name: 'Usage by model' }).waitFor();
        await page.getByRole('table', { name: 'Audit log' }).waitFor();
        await page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'short' }).waitFor();
        assert.ok((await pageWidth()) <= width, `signed in: the page is ${await pageWidth()} px wide`);

        // Every table that is wider than the window scrolls inside its box, which is no wider than the page.
        const boxes = await page.locator('table').evaluateAll((tables) => tables.map((table) => {
          const box = table.parentElement!;
          return { table: table.getAttribute('aria-label'), scrolls: table.ownerDocument.defaultView!.getComputedStyle(box).overflowX, box: box.getBoundingClientRect().right, tableWidth: table.scrollWidth };
        }));
        assert.ok(boxes.length >= 6, JSON.stringify(boxes));
        for (const box of boxes) {
          assert.equal(box.scrolls, 'auto', `${box.table} is in a scroll box`);
          assert.ok(box.box <= width, `${box.table}: its box ends at ${box.box} px`);
        }
        if (width === 375) assert.ok(boxes.some((box) => box.tableWidth > width), 'at 375 px some table is wider than the window (and scrolls)');

        // The key's details with its long name, team and metadata; a rename form in the teams table.
        await page.getByRole('button', { name: /^Edit key key-x/ }).click();
        await page.getByRole('form', { name: /^Key key-x/ }).waitFor();
        assert.ok((await pageWidth()) <= width, `key editor: ${await pageWidth()} px`);
        await page.getByRole('button', { name: /^Rename team team-x/ }).click();
        assert.ok((await pageWidth()) <= width, `renaming a team: ${await pageWidth()} px`);
        assert.deepEqual(pageErrors, []);
        await context.close();
      });
    }
  });
}
