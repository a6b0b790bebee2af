// Browser scenarios for the console, run by console_browser_e2e_test against a real
// controller it has seeded (30 alerts from host ward-ws-01, two policy versions, a responder
// "rita" and the admin). playwright-core drives Debian's chromium; every scenario saves a
// screenshot under ARTIFACT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const env = process.env;
const require = createRequire(path.join(env.PLAYWRIGHT_NODE_MODULES, 'resolve-from-here.js'));
const { chromium } = require('playwright-core');

const URL = env.CONSOLE_URL;
const ADMIN = { token: env.ADMIN_TOKEN, secret: env.ADMIN_TOTP_HEX };
const RITA = { token: env.RESPONDER_TOKEN, secret: env.RESPONDER_TOTP_HEX };

// RFC 6238, as an authenticator app computes it.
function totp(secretHex, unix = Math.floor(Date.now() / 1000)) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unix / 30)));
  const mac = createHmac('sha1', Buffer.from(secretHex, 'hex')).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

let profile;
let context;
let page;
const thirdParty = [];

before(async () => {
  profile = mkdtempSync(path.join(tmpdir(), 'sluice-console-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    ignoreHTTPSErrors: true,  // the controller's own CA, not in this fresh profile
    viewport: { width: 1366, height: 768 },  // a laptop screen
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
  // The console must never reach another host (hospital networks are closed).
  page.on('request', (req) => {
    if (!req.url().startsWith(URL) && !req.url().startsWith('data:')) thirdParty.push(req.url());
  });
});

after(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function shot(name) {
  await page.screenshot({ path: path.join(env.ARTIFACT_DIR, `${name}.png`), fullPage: true });
}

async function signIn(who) {
  await page.goto(`${URL}/#/overview`);
  await page.getByLabel('API token').fill(who.token);
  await page.getByLabel('TOTP code').fill(totp(who.secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to Sluice' }).waitFor();
}

test('a wrong TOTP code is refused and no session is made', async () => {
  await page.goto(`${URL}/`);
  await page.getByLabel('API token').fill(RITA.token);
  await page.getByLabel('TOTP code').fill(totp(RITA.secret) === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'invalid API token or TOTP code' }).waitFor();
  const session = await page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(session, 401);
  await shot('failed-login');
});

test('a responder signs in with token and TOTP and sees the overview', async () => {
  await signIn(RITA);
  await page.getByText('rita (responder)').waitFor();
  await page.getByText('30 blocked egress attempts').waitFor();
  await page.getByRole('figure', { name: 'Blocked egress by vendor' }).waitFor();
  const cookies = await context.cookies(URL);
  const cookie = cookies.find((c) => c.name === '__Host-sluice');
  assert.ok(cookie, 'session cookie set');
  assert.equal(cookie.secure, true);
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  await shot('overview');
});

test('the alert list filters on the server, and the detail shows masked evidence', async () => {
  await page.getByRole('link', { name: 'Alerts' }).click();
  await page.getByText('30 alerts · page 1 of 2').waitFor();
  assert.equal(await page.locator('table.alerts tbody tr').count(), 25);
  await page.getByLabel('Vendor').fill('openai');
  await page.getByLabel('Severity').selectOption('critical');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByText('10 alerts · page 1 of 1').waitFor();
  const vendors = await page.locator('table.alerts tbody tr td:nth-child(4)').allTextContents();
  assert.deepEqual([...new Set(vendors)], ['openai']);
  await shot('alert-list-filtered');

  await page.locator('table.alerts tbody tr a').first().click();
  await page.getByRole('heading', { name: /^Alert seed-/, level: 1 }).waitFor();
  const detail = await page.locator('main').innerText();
  for (const expected of ['MRN ******4521', 'api.openai.com', 'openai', 'phi-to-ai', 'curl',
    'ward-ws-01', 'Policy version']) {
    assert.ok(detail.includes(expected), `detail shows ${expected}`);
  }
  assert.match(detail, /BAA\s+\S+/);
  await shot('alert-detail');
});

test('acknowledge and resolve are recorded in the audit log', async () => {
  const heading = await page.getByRole('heading', { level: 1 }).innerText();
  const id = heading.replace('Alert ', '');
  await page.getByLabel('Note (goes into the audit log)').fill('checked with the ward');
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.locator('.badge.status-acknowledged').waitFor();
  await page.getByLabel('Note (goes into the audit log)').fill('script removed from the host');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await page.locator('.badge.status-resolved').waitFor();
  await page.getByText('user:rita · resolve: script removed from the host').waitFor();
  await shot('alert-resolved');

  // A responder may not read the audit log; the admin (or an auditor) may.
  const refused = await page.evaluate(async () => (await fetch('/api/audit')).status);
  assert.equal(refused, 403);
  await signOut();
  await signIn(ADMIN);
  await page.getByRole('link', { name: 'Audit' }).click();
  await page.locator('#chain-status').filter({ hasText: 'Chain verified' }).waitFor();
  const rows = page.locator('table.audit tbody tr').filter({ hasText: `alert/${id}` });
  await rows.filter({ hasText: 'alert.resolve' }).filter({ hasText: 'user:rita' }).waitFor();
  await rows.filter({ hasText: 'alert.ack' }).waitFor();
  // Opened once, acted on twice: the evidence was read (and audited) once.
  assert.equal(await rows.filter({ hasText: 'alert.evidence.view' }).count(), 1);
  await shot('audit-entry');
  await signOut();
});

test('an author compares versions and rolls back after confirming', async () => {
  await signIn(ADMIN);
  await page.getByRole('link', { name: 'Policies' }).click();
  await page.getByLabel('From', { exact: true }).selectOption('1');
  await page.getByLabel('To', { exact: true }).selectOption('2');
  await page.getByRole('button', { name: 'Show diff' }).click();
  await page.getByText(/No change in what traffic|Decisions that change|Settings/).first().waitFor();
  await page.getByRole('button', { name: 'Roll back to 1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back to version 1?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await page.getByRole('dialog').count(), 0, 'cancel changes nothing');
  await page.getByRole('button', { name: 'Roll back to 1' }).click();
  await shot('policy-rollback-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
  await page.getByText('Rolled back: version 3 re-issues 1.').waitFor();
  await signOut();
});

test('the pages work with the keyboard alone', async () => {
  await signIn(RITA);
  await page.goto(`${URL}/#/alerts`);
  await page.getByText(/alerts · page 1 of/).waitFor();
  // The skip link comes before the navigation in the tab order.
  await page.focus('[data-nav="overview"]');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.equal(await page.evaluate(() => location.hash), '#/alerts', 'the skip link is no route');
  // Tab through the filters to the first alert and open it with Enter.
  let tag = '';
  for (let i = 0; i < 40 && tag !== 'A:alert'; i++) {
    await page.keyboard.press('Tab');
    tag = await page.evaluate(() => {
      const el = document.activeElement;
      return `${el.tagName}:${el.closest('table.alerts') ? 'alert' : ''}`;
    });
  }
  assert.equal(tag, 'A:alert', 'an alert link is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /^Alert /, level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1',
    'focus moves to the new page heading');
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((el) => !el.labels || el.labels.length === 0).map((el) => el.name));
  assert.deepEqual(unlabelled, []);
});

test('a responder cannot push a policy: the server refuses, not only the page', async () => {
  await page.getByRole('link', { name: 'Policies' }).click();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Review push…' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /Roll back/ }).count(), 0);
  const answer = await page.evaluate(async () => {
    const { csrf } = await (await fetch('/api/session')).json();
    const res = await fetch('/api/policies', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ yaml: 'kind: EgressPolicy', selector: '' }),
    });
    const rollback = await fetch('/api/policies/1/rollback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: '{}',
    });
    const noCsrf = await fetch('/api/alerts/seed-0/ack', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
    });
    return { status: res.status, body: await res.json(), rollback: rollback.status,
      noCsrf: noCsrf.status };
  });
  assert.equal(answer.status, 403);
  assert.match(answer.body.error, /responder.*PushPolicy/);
  assert.equal(answer.rollback, 403);
  assert.equal(answer.noCsrf, 403, 'a mutation without the CSRF token is refused');
  await page.evaluate((text) => {
    const p = document.createElement('p');
    p.className = 'message error';
    p.textContent = text;
    document.querySelector('main h1').after(p);
  }, `Server answer to a push by this responder: HTTP ${answer.status}: ${answer.body.error}`);
  await shot('responder-push-refused');
});

test('a new alert appears in the list without a reload', async () => {
  await page.getByRole('link', { name: 'Alerts' }).click();
  await page.getByText(/alerts · page 1 of/).waitFor();
  await page.evaluate(() => {
    window.sluiceNoReload = true;
  });
  writeFileSync(path.join(env.CONSOLE_WORK_DIR, 'live-request'), '1');
  const row = page.locator('table.alerts tbody tr[data-alert-id="live-1"]');
  await row.waitFor({ timeout: 20000 });
  assert.ok((await row.innerText()).includes('live-probe'));
  assert.equal(await page.evaluate(() => window.sluiceNoReload), true, 'the page was not reloaded');
  await page.getByRole('status').filter({ hasText: 'New high alert' }).waitFor({ state: 'attached' });
  assert.ok(existsSync(path.join(env.CONSOLE_WORK_DIR, 'live-sent')));
  await shot('live-alert');
});

test('an idle page signs itself out when the idle time has passed', async () => {
  // The page's clock runs fast; the server's idle timeout is 600 s in this run.
  await page.clock.install();
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.clock.fastForward(610_000);
  await page.getByText('You were signed out after 10 min without activity.').waitFor();
  await page.getByRole('heading', { name: 'Sign in to Sluice' }).waitFor();
  const session = await page.evaluate(async () => (await fetch('/api/session')).status);
  assert.equal(session, 401, 'the page ended its server session too');
  await shot('idle-logoff');
});

test('no page asked any other host for anything', () => {
  assert.deepEqual(thirdParty, []);
});
