import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startGateway, type RunningGateway } from '../helpers/start-gateway.ts';

// The dashboard's sign-in, sign-out and slow API, in Chromium (as dashboard.test.ts): a token the
// API did not accept is neither kept nor shown the signed-in page (a lockout's 429 included),
// "Forget token" leaves no data in the page, and a call that hangs ends with a message.

const adminToken = 'dashboard-session-admin-token';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const launchArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const problem = existsSync(chromiumPath) ? null : `${chromiumPath} is missing (apt-get install -y chromium)`;
const storedToken = (page: Page) => page.evaluate(() => sessionStorage.getItem('tollgate-admin-token'));

async function admin<T = Record<string, any>>(gw: RunningGateway, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const parsed = (await response.json()) as T;
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

if (problem !== null) {
  if (process.env.TOLLGATE_REQUIRE_SERVICES === '1') it('sign-in and sign-out in Chromium (required: TOLLGATE_REQUIRE_SERVICES=1)', () => assert.fail(`Chromium is required but ${problem}`));
  else it(`SKIPPED: sign-in and sign-out in Chromium (${problem})`, { skip: problem }, () => {});
} else {
  describe('the dashboard session in Chromium', () => {
    let gw: RunningGateway;
    let locked: RunningGateway;
    let browser: Browser;

    before(async () => {
      [gw, locked, browser] = await Promise.all([
        startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }] }\nplugins: { key-auth: {} }`),
        // Its own gateway: the lockout (per address, per process) would refuse the other tests too.
        startGateway(`admin: { tokens: [{ token: ${adminToken}, role: admin }], auth_failures: { max: 2, window: 1m } }`),
        chromium.launch({ executablePath: chromiumPath, headless: true, args: launchArgs }),
      ]);
      await admin(gw, 'POST', '/teams', { name: 'secretive-team' });
      await admin(gw, 'POST', '/consumers', { name: 'secretive-consumer', team: 'secretive-team' });
      await admin(gw, 'POST', '/keys', { consumer: 'secretive-consumer', name: 'secretive-key' });
      await admin(locked, 'POST', '/teams', { name: 'locked-team' });
    });
    after(async () => {
      await browser?.close();
      await Promise.all([gw?.close(), locked?.close()]);
    });

    async function open(target: RunningGateway, { clock = false } = {}): Promise<{ page: Page; pageErrors: string[] }> {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(5000);
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      // A fake clock (running at the real pace until told otherwise) lets a test jump over the 30 s timeout.
      if (clock) await page.clock.install();
      await page.goto(`${target.adminUrl}/dashboard/`);
      return { page, pageErrors };
    }

    async function signIn(page: Page, token: string): Promise<void> {
      await page.getByRole('textbox', { name: 'Token' }).fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }

    it('keeps the sign-in form and no token when the address is locked out (429)', async () => {
      const { page, pageErrors } = await open(locked);
      for (const wrong of ['wrong-1', 'wrong-2']) {
        await signIn(page, wrong);
        await page.getByRole('alert').filter({ hasText: 'invalid_admin_token' }).waitFor();
      }
      // Locked out now: a third wrong token, then the right one, are refused without being looked at.
      for (const token of ['wrong-3', adminToken]) {
        await signIn(page, token);
        const alert = page.getByRole('alert').filter({ hasText: 'too_many_auth_failures' });
        await alert.waitFor();
        assert.equal(await page.locator('#app').isVisible(), false, `${token}: no signed-in page`);
        assert.equal(await storedToken(page), null, `${token}: not kept`);
        assert.equal(await page.getByRole('textbox', { name: 'Token' }).isVisible(), true, token);
        assert.equal(await page.getByRole('button', { name: 'Forget token' }).isVisible(), false);
        assert.match((await alert.textContent()) ?? '', /^Too many wrong tokens were sent from this address: the Admin API refuses every token, the right one too, for \d+ s more \(GET \/whoami: 429 too_many_auth_failures: .*\)\. Wait, then sign in again\.$/);
      }
      assert.equal(await page.getByText('locked-team').count(), 0, 'no data was loaded');
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('masks the token without offering it to a password manager, and keeps it only once accepted', async () => {
      const { page, pageErrors } = await open(gw);
      const field = page.getByRole('textbox', { name: 'Token' });
      assert.equal(await field.getAttribute('type'), 'text', 'no password field for the browser to save');
      assert.equal(await field.getAttribute('autocomplete'), 'off');
      const masking = () => field.evaluate((node) => node.ownerDocument.defaultView!.getComputedStyle(node).getPropertyValue('-webkit-text-security'));
      assert.equal(await masking(), 'disc');
      await page.getByRole('checkbox', { name: 'Show the token' }).check();
      assert.equal(await masking(), 'none');
      await page.getByRole('checkbox', { name: 'Show the token' }).uncheck();
      assert.equal(await masking(), 'disc');
      await signIn(page, adminToken);
      await page.getByRole('table', { name: 'Keys' }).waitFor();
      assert.equal(await storedToken(page), adminToken);
      assert.equal(await page.locator('#token').inputValue(), '', 'the (hidden) field does not keep it');
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('leaves no data in the page after "Forget token", even from calls still under way', async () => {
      const { page, pageErrors } = await open(gw);
      await signIn(page, adminToken);
      await page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'secretive-key' }).waitFor();
      await page.getByRole('table', { name: 'Audit log' }).getByRole('row').filter({ hasText: 'secretive-consumer' }).first().waitFor();
      await page.locator('[data-total="requests"] dd').waitFor();
      await page.locator('#consumer-filter').fill('secretive');
      await page.getByRole('button', { name: /^Edit key secretive-key/ }).click();

      await page.getByRole('button', { name: 'Forget token' }).click();
      await page.getByRole('textbox', { name: 'Token' }).waitFor();
      assert.equal(await storedToken(page), null);
      /** Names from the API in the page, table rows, options filled from the API, totals, typed filters. */
      const leftovers = () => page.locator('body').evaluate((body) => ({
        text: ['secretive'].filter((text) => body.textContent?.includes(text)),
        rows: body.querySelectorAll('#app tr, #app option:not(#range option):not(#audit-resource option), #totals *').length,
        filled: [...body.querySelectorAll('#app input')].filter((input) => (input as unknown as { value: string }).value !== '').map((input) => input.id),
      }));
      assert.deepEqual(await leftovers(), { text: [], rows: 0, filled: [] });

      // Signed in again, a call that is held up is still under way when the token is forgotten: its answer draws nothing.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/audit?*', async (route) => {
        await held;
        await route.continue().catch(() => {}); // the page has ended the call: nothing to continue
      });
      await signIn(page, adminToken);
      await page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: 'secretive-key' }).waitFor();
      await page.getByRole('button', { name: 'Forget token' }).click();
      release();
      await page.waitForTimeout(300);
      assert.deepEqual(await leftovers(), { text: [], rows: 0, filled: [] });
      assert.equal(await page.locator('#error').isVisible(), false, 'the call ended by signing out is no error');
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });

    it('gives up on a call that hangs after 30 s with a message, showing "Loading…" meanwhile', async () => {
      const { page, pageErrors } = await open(gw, { clock: true });
      await signIn(page, adminToken);
      await page.locator('[data-total="requests"] dd').waitFor();
      await page.route('**/usage?*', () => {}); // never answered

      const refresh = page.getByRole('button', { name: 'Refresh' });
      await refresh.click();
      await page.locator('#loading').filter({ hasText: 'Loading…' }).waitFor();
      assert.equal(await refresh.isDisabled(), true);
      assert.equal(await refresh.getAttribute('aria-busy'), 'true');
      assert.equal(await page.locator('main').getAttribute('aria-busy'), 'true');

      await page.clock.fastForward(30_000);
      await page.getByRole('alert').filter({ hasText: /^GET \/usage: timeout: The gateway did not answer within 30 s/ }).waitFor();
      await page.locator('#refresh:enabled').waitFor();
      assert.equal(await page.locator('#loading').textContent(), '');
      assert.equal(await page.locator('main').getAttribute('aria-busy'), null);
      assert.equal(await page.locator('#app').isVisible(), true, 'still signed in');

      // Answered again, Refresh works again.
      await page.unroute('**/usage?*');
      await refresh.click();
      await page.getByRole('alert').waitFor({ state: 'hidden' });
      await page.locator('[data-total="requests"] dd').waitFor();
      assert.deepEqual(pageErrors, []);
      await page.context().close();
    });
  });
}
