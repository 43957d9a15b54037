import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// The dashboard's key editor and the focus after its actions, in Chromium (as dashboard.test.ts):
// metadata the API accepts comes back from the editor exactly, untouched metadata is not sent, a
// typing mistake says what is wrong, and a keyboard user is not sent back to the top of the page.

const adminToken = 'dashboard-editor-admin-token';
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
  if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') it('the key editor in Chromium (required: TOLLGATE_REQUIRE_SERVICES=1)', () => assert.fail(`Chromium is required but ${problem}`));
  else it(`SKIPPED: the key editor in Chromium (${problem})`, { skip: problem }, () => {});
} else {
  describe('the dashboard key editor in Chromium', () => {
    let gw: RunningGateway;
    let browser: Browser;

    before(async () => {
      [gw, browser] = await Promise.all([startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }] }\nplugins: { key-auth: {} }`), chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs })]);
      await admin(gw, 'POST', '/consumers', { name: 'checkout' });
    });
    after(async () => {
      await browser?.close();
      await gw?.close();
    });

    /** A fresh tab, signed in; the bodies of its PATCH calls are collected, and page failures fail the test. */
    async function open(): Promise<{ page: Page; patches: unknown[]; pageErrors: string[] }> {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(5000);
      const pageErrors: string[] = [];
      const patches: unknown[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('request', (request) => {
        if (request.method() === 'PATCH') patches.push(request.postDataJSON());
      });
      await page.goto(`${gw.adminUrl}/dashboard/`);
      await page.getByRole('textbox', { name: 'Token' }).fill(adminToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('table', { name: 'Keys' }).waitFor();
      return { page, patches, pageErrors };
    }

    /** What has the keyboard: its accessible label (or text), or "body" when focus has dropped to the top. */
    const focused = (page: Page) => page.locator('body').evaluate((body) => {
      const node = body.ownerDocument.activeElement;
      return node === null || node === body ? 'body' : (node.getAttribute('aria-label') ?? node.textContent ?? node.tagName).trim();
    });

    it('gives back metadata with "=", spaces at either end and newlines exactly, and sends it only when changed', async () => {
      const metadata = { 'cost=center': '42', note: ' padded ', multi: 'line1\nline2', url: 'https://x.example/?a=b', '': 'empty name', 'tab\tkey': '' };
      const created = await admin<{ id: string }>(gw, 'POST', '/keys', { consumer: 'checkout', name: 'meta', metadata });
      const { page, patches, pageErrors } = await open();
      await page.getByRole('button', { name: /^Edit key meta/ }).click();
      const form = page.getByRole('form', { name: /^Key meta/ });
      const field = form.getByRole('textbox', { name: /^Metadata/ });
      assert.deepEqual(JSON.parse(await field.inputValue()), metadata, 'the editor shows every entry as stored');

      // A rename sends the name only: the metadata is not touched.
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill('meta-renamed');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved: name.' }).waitFor();
      assert.deepEqual(patches, [{ name: 'meta-renamed' }]);
      assert.deepEqual((await admin(gw, 'GET', `/keys/${created.id}`)).metadata, metadata);

      // Adding an entry sends the whole object, every other entry exactly as it was.
      const edited = { ...JSON.parse(await field.inputValue()), env: 'prod' };
      await field.fill(JSON.stringify(edited, null, 2));
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved: metadata.' }).waitFor();
      assert.deepEqual(patches[1], { metadata: { ...metadata, env: 'prod' } });
      assert.deepEqual((await admin(gw, 'GET', `/keys/${created.id}`)).metadata, { ...metadata, env: 'prod' });
      assert.deepEqual(JSON.parse(await field.inputValue()), { ...metadata, env: 'prod' }, 'the form shows what the API holds now');

      // The same entries written in another order or layout are no change.
      await field.fill(JSON.stringify(Object.fromEntries(Object.entries({ ...metadata, env: 'prod' }).reverse())));
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByRole('status').filter({ hasText: 'Nothing to save' }).waitFor();

      // Emptied, the metadata is cleared.
      await field.fill('');
      await form.getByRole('button', { name: 'Save changes' }).click();
      await form.getByRole('status').filter({ hasText: 'Saved: metadata.' }).waitFor();
      assert.deepEqual(patches[2], { metadata: {} });
      assert.deepEqual((await admin(gw, 'GET', `/keys/${created.id}`)).metadata, {});
      assert.equal(patches.length, 3);
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('says what is wrong with metadata that is not an object of strings, and sends nothing', async () => {
      const created = await admin<{ id: string }>(gw, 'POST', '/keys', { consumer: 'checkout', name: 'typo', metadata: { owner: 'ops' } });
      const { page, patches, pageErrors } = await open();
      await page.getByRole('button', { name: /^Edit key typo/ }).click();
      const form = page.getByRole('form', { name: /^Key typo/ });
      const field = form.getByRole('textbox', { name: /^Metadata/ });
      for (const [text, message] of [
        ['owner=ops', /^Metadata is not valid JSON \(.+\)\. Write an object of strings, such as \{"owner": "ops", "cost_center": "42"\}\.$/],
        ['["ops"]', /^Metadata must be a JSON object of strings, such as .+; this is an array\.$/],
        ['{"count": 3}', /^Metadata: the value of "count" must be a string, in quotes/],
      ] as const) {
        await field.fill(text);
        await form.getByRole('button', { name: 'Save changes' }).click();
        await form.getByRole('alert').filter({ hasText: message }).waitFor();
        assert.equal(await field.getAttribute('aria-invalid'), 'true', text);
      }
      assert.deepEqual(patches, [], 'nothing was sent');
      assert.equal(await page.locator('#error').isVisible(), false, 'shown by the form, not the top box');
      assert.deepEqual((await admin(gw, 'GET', `/keys/${created.id}`)).metadata, { owner: 'ops' });

      // A team's metadata: the mistake is the operator's, not an "Unexpected error".
      await page.locator('#team-name').fill('typo-team');
      await page.locator('#team-metadata').fill('tier=gold');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.locator('#error').filter({ hasText: /^Team metadata is not valid JSON/ }).waitFor();
      assert.equal(await page.locator('#team-metadata').getAttribute('aria-invalid'), 'true');
      await page.locator('#team-metadata').fill('{"tier": "gold"}');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('table', { name: 'Teams' }).getByRole('row').filter({ hasText: 'typo-team' }).waitFor();
      assert.equal(await page.locator('#team-metadata').getAttribute('aria-invalid'), null, 'the mark goes with the mistake');
      assert.deepEqual((await admin(gw, 'GET', '/teams/typo-team')).metadata, { tier: 'gold' });
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('keeps the keyboard where it was after sign-in, Disable, Enable, closing the editor and leaving a rename', async () => {
      await admin(gw, 'POST', '/keys', { consumer: 'checkout', name: 'focused' });
      await admin(gw, 'POST', '/teams', { name: 'focus-team' });
      const { page, pageErrors } = await open();
      assert.equal(await focused(page), 'Overview', 'after sign-in: the first heading');

      await page.getByRole('button', { name: /^Disable key focused/ }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: /^Enable key focused/ }).waitFor();
      assert.match(await focused(page), /^Enable key focused/);
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: /^Disable key focused/ }).waitFor();
      assert.match(await focused(page), /^Disable key focused/);

      await page.getByRole('button', { name: /^Edit key focused/ }).focus();
      await page.keyboard.press('Enter');
      assert.match(await focused(page), /^Key focused/, 'the editor opens at its title');
      await page.getByRole('button', { name: 'Close' }).click();
      assert.match(await focused(page), /^Edit key focused/, 'back to the button that opened it');

      await page.getByRole('button', { name: 'Rename team focus-team' }).click();
      await page.getByRole('textbox', { name: 'New name for team focus-team' }).press('Escape');
      assert.equal(await focused(page), 'Rename team focus-team');
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });
  });
}
