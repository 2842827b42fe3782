// What the browser tests share: free ports, programs started and stopped, Chromium.
import { spawn } from 'node:child_process';
import net from 'node:net';
import puppeteer from 'puppeteer-core';

const processes = [];

// A port on 127.0.0.1 that was free a moment ago, for a program started next.
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// Starts a program and waits (bounded) until it prints `ready`, or, for a program that
// prints nothing (nginx), until `ready` as a URL answers; stopAll() ends it.
export function start(command, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env } });
    processes.push(child);
    if (ready.startsWith('http://')) {
      const deadline = Date.now() + 20000;
      const poll = () => fetch(ready).then(() => resolve(child), () => {
        if (Date.now() > deadline) reject(new Error(`${command} did not answer at ${ready}`));
        else setTimeout(poll, 50);
      });
      poll();
      return;
    }
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 20000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

// Ends a started program and waits for it.
export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function stopAll() {
  await Promise.all(processes.map(stop));
}

// A loaded 2-core machine can take long to start Chromium: a generous bound, not a timing.
export function launchChromium() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 180000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function text(page) {
  return page.evaluate(() => document.body.innerText);
}

// A fresh browser profile: its own cookies, as another person's browser.
export async function freshPage(browser) {
  const context = await browser.createBrowserContext();
  return context.newPage();
}
