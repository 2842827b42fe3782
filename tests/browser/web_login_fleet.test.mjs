// examples/web_login as a fleet in a real Chromium: two instances behind nginx, sessions and
// tokens in one PostgreSQL (started here, as the `postgres` user when run as root, since
// PostgreSQL refuses root). A sign-in seen from both instances, a login begun on an instance
// that dies before the callback and finished by the other, and Meta's data deletion removing
// the user's rows.
// Run by ctest (label browser) with INSTAGRAM_OAUTH_CLI, WEB_LOGIN, CHROMIUM, NGINX_BIN, PG_BIN.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, freshPage as freshPageOf, launchChromium, start, stop, stopAll, text }
  from './support.mjs';

const secret = 'browser-fleet-client-secret-Lq27w';
const userId = '17841405793187218';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'web-login-fleet-'));
const asPostgres = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
let browser;
let front;
let database;
let databasePort;
const instances = {};

const freshPage = () => freshPageOf(browser);

function run(argv) {
  return execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// A throwaway PostgreSQL: trust authentication on 127.0.0.1, durability off.
function startPostgres(port) {
  const data = path.join(root, 'postgres');
  fs.chmodSync(root, 0o755);  // mkdtemp's 0700 would keep the postgres user out
  fs.mkdirSync(data);
  if (asPostgres.length) run(['chown', 'postgres', data]);
  const bin = process.env.PG_BIN;
  run([...asPostgres, `${bin}/initdb`, '-D', `${data}/data`, '-U', 'postgres', '--auth=trust',
    '--no-sync', '-E', 'UTF8']);
  run([...asPostgres, `${bin}/pg_ctl`, '-D', `${data}/data`, '-l', `${data}/server.log`, '-w',
    '-t', '60', '-o', `-p ${port} -h 127.0.0.1 -k ${data} -c fsync=off`, 'start']);
  return data;
}

function sql(statement) {
  return run([`${process.env.PG_BIN}/psql`, '-h', '127.0.0.1', '-p', String(databasePort), '-U',
    'postgres', '-d', 'postgres', '-tA', '-c', statement]).trim();
}

// nginx in front of the instances, round robin; an instance that is down is skipped.
async function startFront(port, upstreams) {
  const directory = path.join(root, 'nginx');
  fs.mkdirSync(directory);
  fs.writeFileSync(path.join(directory, 'nginx.conf'), `
worker_processes 1;
pid ${directory}/nginx.pid;
error_log ${directory}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${directory}/body;
  proxy_temp_path ${directory}/proxy;
  upstream fleet { ${upstreams.map((p) => `server 127.0.0.1:${p} max_fails=0;`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://fleet;
      proxy_set_header Host $http_host;
      proxy_next_upstream error timeout;
    }
  }
}
`);
  // (NGINX itself is nginx's variable for inherited sockets: not the name of the binary.)
  const nginx = process.env.NGINX_BIN || '/usr/sbin/nginx';
  await start(nginx, ['-p', directory, '-c', `${directory}/nginx.conf`, '-e',
    `${directory}/error.log`, '-g', 'daemon off; master_process off;'], {},
  `http://127.0.0.1:${port}/`);
}

// Meta's signed_request for this user, signed with the app's secret.
function signedRequest() {
  const encode = (bytes) => Buffer.from(bytes).toString('base64url');
  const payload = encode(JSON.stringify({
    algorithm: 'HMAC-SHA256', issued_at: Math.floor(Date.now() / 1000), user_id: userId,
  }));
  return `${encode(crypto.createHmac('sha256', secret).update(payload).digest())}.${payload}`;
}

before(async () => {
  const [mockPort, frontPort, portA, portB] =
    [await freePort(), await freePort(), await freePort(), await freePort()];
  databasePort = await freePort();
  database = startPostgres(databasePort);
  front = `http://127.0.0.1:${frontPort}`;
  await start(process.env.INSTAGRAM_OAUTH_CLI,
    ['mock-server', '--port', String(mockPort), '--redirect-uri', `${front}/auth/`],
    { INSTAGRAM_CLIENT_SECRET: secret }, 'Press Ctrl-C to stop.');
  const env = {
    INSTAGRAM_CLIENT_SECRET: secret,
    INSTAGRAM_ENDPOINT_BASE: `http://127.0.0.1:${mockPort}`,
    INSTAGRAM_REDIRECT_URI: `${front}/auth/`,
    INSTAGRAM_STATE_KEY: 'fleet-state-key-shared-by-every-instance-0123',
    INSTAGRAM_DATABASE_URL: `host=127.0.0.1 port=${databasePort} user=postgres dbname=postgres`,
    INSTAGRAM_TOKEN_KEYS: 'fleet-token-key-shared-by-every-instance-4567',
  };
  for (const [name, port] of [['a', portA], ['b', portB]]) {
    instances[name] = {
      url: `http://127.0.0.1:${port}`,
      child: await start(process.env.WEB_LOGIN, [String(port)], env, 'web_login listening'),
    };
  }
  await startFront(frontPort, [portA, portB]);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  await stopAll();
  if (database) {
    try {
      run([...asPostgres, `${process.env.PG_BIN}/pg_ctl`, '-D', `${database}/data`, '-m', 'fast',
        '-w', 'stop']);
    } catch { /* already down */ }
  }
  fs.rmSync(root, { recursive: true, force: true });
});

test('a sign-in through the front is seen by both instances', async () => {
  const page = await freshPage();
  await page.goto(front);
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  await Promise.all([page.waitForNavigation(), page.click('#allow')]);
  // (The browser keeps Instagram's #_ across the redirect: a fragment never reaches a server.)
  assert.equal(new URL(page.url()).href.replace(/#_$/, ''), `${front}/`);
  const signedIn = /Signed in as @socialsizzle \(Instagram user 17841405793187218\)\./;
  assert.match(await text(page), signedIn);
  // The session cookie is the host's (cookies do not tell ports apart): each instance,
  // asked directly, finds the session in the database.
  for (const instance of [instances.a, instances.b]) {
    await page.goto(instance.url);
    assert.match(await text(page), signedIn);
  }
  assert.equal(sql(`SELECT count(*) FROM instagram_oauth_tokens WHERE user_id = '${userId}'`), '1');
});

test('a login begun on an instance that dies is finished by the other', async () => {
  const page = await freshPage();
  await page.goto(`${instances.a.url}/login`);  // A signs the state and sets the binding
  await page.waitForSelector('#allow');
  await stop(instances.a.child);
  await Promise.all([page.waitForNavigation(), page.click('#allow')]);  // back through the front
  assert.equal(new URL(page.url()).href.replace(/#_$/, ''), `${front}/`);
  assert.match(await text(page), /Signed in as @socialsizzle/);
});

test('Meta\'s data deletion removes the user\'s rows and signs every browser out', async () => {
  const page = await freshPage();
  await page.goto(front);
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
  await Promise.all([page.waitForNavigation(), page.click('#allow')]);
  assert.match(await text(page), /Signed in as @socialsizzle/);
  assert.notEqual(sql(`SELECT count(*) FROM instagram_oauth_sessions WHERE user_id = '${userId}'`), '0');

  const answer = await fetch(`${front}/instagram/data-deletion`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `signed_request=${encodeURIComponent(signedRequest())}`,
  });
  assert.equal(answer.status, 200);
  const { url, confirmation_code: code } = await answer.json();
  assert.equal(url, `${front}/deletion?id=${code}`);
  assert.equal(sql(`SELECT count(*) FROM instagram_oauth_tokens WHERE user_id = '${userId}'`), '0');
  assert.equal(sql(`SELECT count(*) FROM instagram_oauth_sessions WHERE user_id = '${userId}'`), '0');

  await page.reload();
  assert.match(await text(page), /Sign in with Instagram/);
  await page.goto(url);
  assert.match(await text(page),
    new RegExp(`Deletion request ${code}: your token and sessions were deleted on 20`));
});
