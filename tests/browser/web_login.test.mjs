// examples/web_login driven by a real Chromium (Debian's, through puppeteer-core) against
// the Instagram look-alike (`instagram-oauth mock-server`), both on 127.0.0.1: a sign-in
// by clicking Allow, a Cancel, and the attacks that must not sign a browser in.
// Run by ctest (label browser) with INSTAGRAM_OAUTH_CLI, WEB_LOGIN, CHROMIUM, SCREENSHOT_DIR.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, freshPage as freshPageOf, launchChromium, start, stopAll, text } from './support.mjs';

const secret = 'browser-test-client-secret-Zq81vX';
let browser;
let site;

const freshPage = () => freshPageOf(browser);

// The callback URL of a login begun in `page`, caught instead of followed.
async function catchCallback(page) {
  await page.setRequestInterception(true);
  const caught = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no callback was caught')), 20000);
    page.on('request', (request) => {
      // Interception may be switched off while a request is in flight: ignore that one.
      if (request.url().startsWith(`${site}/auth/`)) {
        clearTimeout(timer);
        request.abort().catch(() => {});
        resolve(request.url());
      } else {
        request.continue().catch(() => {});
      }
    });
  });
  await page.goto(`${site}/login`);
  await page.waitForSelector('#allow');
  await page.click('#allow');
  return caught;
}

before(async () => {
  const [mockPort, sitePort] = [await freePort(), await freePort()];
  site = `http://127.0.0.1:${sitePort}`;
  await start(process.env.INSTAGRAM_OAUTH_CLI,
    ['mock-server', '--port', String(mockPort), '--redirect-uri', `${site}/auth/`],
    { INSTAGRAM_CLIENT_SECRET: secret }, 'Press Ctrl-C to stop.');
  await start(process.env.WEB_LOGIN, [String(sitePort)],
    { INSTAGRAM_CLIENT_SECRET: secret, INSTAGRAM_ENDPOINT_BASE: `http://127.0.0.1:${mockPort}` },
    'web_login listening');
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
});

test('signing in: click Allow, signed in with the profile\'s username', async () => {
  const page = await freshPage();
  await page.goto(site);
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  assert.match(await text(page), /Allow this app to access your Instagram account\?/);
  await Promise.all([page.waitForNavigation(), page.click('#allow')]);
  assert.equal(new URL(page.url()).pathname, '/');
  const body = await text(page);
  assert.match(body, /Signed in as @socialsizzle \(Instagram user 17841405793187218\)\./);
  assert.doesNotMatch(body, /IGQ/);
  const cookies = await page.cookies();
  assert.ok(cookies.find((c) => c.name === 'session' && c.httpOnly && c.sameSite === 'Lax'));
  await page.screenshot({ path: path.join(process.env.SCREENSHOT_DIR || '.', 'web_login-signed-in.png') });
  // Sign out: signed out.
  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
  assert.match(await text(page), /Sign in with Instagram/);
});

test('Cancel shows the denial and signs nobody in', async () => {
  const page = await freshPage();
  await page.goto(`${site}/login`);
  await Promise.all([page.waitForNavigation(), page.click('#deny')]);
  assert.match(await text(page), /Not signed in: The user denied your request/);
  await page.goto(site);
  assert.match(await text(page), /Sign in with Instagram/);
});

test('the attacker\'s link in a browser without the cookie is refused', async () => {
  const attacker = await freshPage();
  const callback = await catchCallback(attacker);
  const victim = await freshPage();
  await victim.goto(callback);
  assert.match(await text(victim), /Not signed in: this browser holds no sign-in binding/);
  assert.match(await text(victim), /start the sign-in again from this browser/);
  const emptied = callback.replace(/state=[^&#]*/, 'state=');
  await victim.goto(emptied);
  assert.match(await text(victim), /Not signed in/);
  await victim.goto(site);
  assert.match(await text(victim), /Sign in with Instagram/);
});

test('a state from another browser is refused', async () => {
  const attacker = await freshPage();
  const callback = await catchCallback(attacker);
  const victim = await freshPage();
  await victim.goto(`${site}/login`);  // the victim's own binding cookie
  await victim.waitForSelector('#allow');
  await victim.goto(callback);
  assert.match(await text(victim), /Not signed in: the state was issued to another browser/);
  await victim.goto(site);
  assert.match(await text(victim), /Sign in with Instagram/);
});

test('a replayed callback URL is refused', async () => {
  const page = await freshPage();
  const callback = await catchCallback(page);
  page.removeAllListeners('request');
  await page.setRequestInterception(false);
  await page.goto(callback);
  assert.match(await text(page), /Signed in as @socialsizzle/);
  await page.goto(callback);
  assert.match(await text(page), /Not signed in/);
});
