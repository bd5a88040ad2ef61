import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { fromRoot } from '../../common/platform/paths';
import { haveChromium, hostsOf, launchBrowser, type Browser } from '../helpers/browser';
import { createTestDatabase } from '../helpers/database';
import { startStack, TEST_API_KEY, type Stack } from '../helpers/stack';

const ARTIFACTS = fromRoot('test/artifacts');
const describeBrowser = haveChromium() ? describe : describe.skip;

describeBrowser('the dashboard of a production gateway (no key prefilled) in a real browser (chromium)', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let base: string;
  const requested: string[] = [];
  const statuses: number[] = [];

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startStack(await createTestDatabase('browser_prod'), { env: 'production' });
    base = stack.gatewayUrl.replace(/\/graphql$/, '');
    browser = await launchBrowser();
    browser.context.on('request', (r) => requested.push(r.url()));
    browser.context.on('response', (r) => {
      if (new URL(r.url()).pathname === '/graphql') statuses.push(r.status());
    });
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const storedKey = () => page.evaluate("sessionStorage.getItem('atlas.apiKey')");

  it('without a key: the 401 becomes a clear request for one, next to a labelled key field', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(statuses).toContain(401);
    expect(await page.locator('#status').textContent()).toBe('This atlas needs an API key: enter yours in the API key field.');
    const field = page.getByLabel('API key');
    expect(await field.isVisible()).toBe(true);
    expect(await field.getAttribute('type')).toBe('password');
    expect(await page.evaluate('document.activeElement?.id')).toBe('api-key');
    expect(await page.locator('#explorer-link').isHidden()).toBe(true);
    expect(await page.locator('#map path.province.has-value').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-key.png') });
  });

  it('an unknown key is refused in words; a good key loads the map and is kept for this tab only', async () => {
    await page.getByLabel('API key').fill('atlas_not_a_key_0000000000');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.locator('#status', { hasText: 'The atlas does not know this API key' }).waitFor();
    await page.getByLabel('API key').fill(TEST_API_KEY);
    await page.keyboard.press('Enter');
    await page.locator('#map path.province.has-value').first().waitFor();
    expect(await page.locator('#status').textContent()).toBe('');
    expect(await storedKey()).toBe(TEST_API_KEY);
    expect(await page.evaluate("localStorage.getItem('atlas.apiKey')")).toBeNull();
    expect(await page.getByLabel('API key').inputValue()).toBe(''); // not left on screen
    expect(await page.locator('#key-state').textContent()).toBe('A key is set for this tab.');
    // The key travels in a header only: never in a URL.
    expect(requested.some((u) => u.includes(TEST_API_KEY))).toBe(false);
    await page.fill('#search', 'son la');
    await page.press('#search', 'Enter');
    await page.locator('#hits button[data-code="116"]').click();
    await page.locator('section.locality[data-code="116"] .card[data-indicator="identity.eid.activation_rate_registered_accounts"]').waitFor();
  });

  it('survives a reload in the same tab, and "Forget key" clears it', async () => {
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('#map path.province.has-value').first().waitFor();
    await page.getByRole('button', { name: 'Forget key' }).click();
    expect(await storedKey()).toBeNull();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#status').textContent()).toBe('This atlas needs an API key: enter yours in the API key field.');
    expect(hostsOf(requested).every((h) => h === '127.0.0.1' || h === 'localhost')).toBe(true);
  });
});
