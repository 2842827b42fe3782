// examples/coroutine_login (Boost.Beast coroutines, the Asio component) driven by a real
// Chromium against the Instagram look-alike (`instagram-oauth mock-server`): a sign-in by
// clicking Allow, and a Cancel.
// Run by ctest (label browser) with INSTAGRAM_OAUTH_CLI, COROUTINE_LOGIN, CHROMIUM.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, freshPage as freshPageOf, launchChromium, start, stopAll, text } from './support.mjs';

const secret = 'browser-test-client-secret-Zq81vX';
let browser;
let site;

const freshPage = () => freshPageOf(browser);

before(async () => {
  const [mockPort, sitePort] = [await freePort(), await freePort()];
  site = `http://127.0.0.1:${sitePort}`;
  await start(process.env.INSTAGRAM_OAUTH_CLI,
    ['mock-server', '--port', String(mockPort), '--redirect-uri', `${site}/auth/`],
    { INSTAGRAM_CLIENT_SECRET: secret }, 'Press Ctrl-C to stop.');
  await start(process.env.COROUTINE_LOGIN, [String(sitePort)],
    { INSTAGRAM_CLIENT_SECRET: secret, INSTAGRAM_ENDPOINT_BASE: `http://127.0.0.1:${mockPort}` },
    'coroutine_login listening');
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
});

test('signing in with co_await: click Allow, the profile\'s username shown', async () => {
  const page = await freshPage();
  await page.goto(site);
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  assert.match(await text(page), /Allow this app to access your Instagram account\?/);
  await Promise.all([page.waitForNavigation(), page.click('#allow')]);
  assert.equal(new URL(page.url()).pathname, '/auth/');
  const body = await text(page);
  assert.match(body, /Signed in as @socialsizzle \(Instagram user 17841405793187218\)\./);
  assert.doesNotMatch(body, /IGQ/);
  // The binding was used once: the browser no longer holds it.
  const cookies = await page.cookies();
  assert.equal(cookies.find((c) => c.name === 'binding'), undefined);
});

test('Cancel shows the denial and signs nobody in', async () => {
  const page = await freshPage();
  await page.goto(`${site}/login`);
  await Promise.all([page.waitForNavigation(), page.click('#deny')]);
  assert.match(await text(page), /Not signed in: The user denied your request/);
});
