import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { continueToAnswers, openWizard } from './app';
import { type Serving, startServe } from './serve';

/** What another server on this host saw: every request a browser sent it. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A 1×1 transparent PNG, for the image a page of Nixstrap's origin tries to load. */
const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

let dataDir: string;
let nixstrap: Serving;
let other: Server;
let otherPort: number;
const seen: Seen[] = [];

test.beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'nixstrap-e2e-other-servers-'));
  nixstrap = await startServe(['--data-dir', dataDir]);
  // Another local user's server, on another port of the same loopback address.
  other = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (req.url?.startsWith('/pixel.png')) {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*' });
      res.end(PIXEL);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Someone else</title><p>Another server on this host.</p>');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherPort = (other.address() as AddressInfo).port;
  seen.length = 0;
});

test.afterEach(async () => {
  other.closeAllConnections();
  await new Promise((resolve) => other.close(resolve));
  await nixstrap.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the launch key never reaches another server on the same host', async ({ page, context }) => {
  // Wherever the printed address carries it: the test is about where it goes from there.
  const printed = new URL(nixstrap.url);
  const token =
    new URLSearchParams(printed.hash.slice(1)).get('token') ?? printed.searchParams.get('token');
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // The user opens the printed address, works a little, reloads.
  await openWizard(page, nixstrap.url);
  await continueToAnswers(page);
  await page.reload();
  await expect(page.getByTestId('connection')).toHaveText('Connected');

  // From Nixstrap's origin, a picture and a fetch to the other server: the CSP stops both.
  const pixel = `http://127.0.0.1:${otherPort}/pixel.png`;
  const loaded = await page.evaluate(
    (src) =>
      new Promise<string>((resolve) => {
        const image = new Image();
        image.onload = () => resolve('loaded');
        image.onerror = () => resolve('blocked');
        image.src = src;
      }),
    pixel,
  );
  expect(loaded).toBe('blocked');
  const fetched = await page.evaluate(
    (url) =>
      fetch(url, { credentials: 'include' }).then(
        () => 'fetched',
        () => 'blocked',
      ),
    pixel,
  );
  expect(fetched).toBe('blocked');

  // The same browser goes to the other server, by both loopback names, and that page asks its
  // own server for more, credentials and all.
  for (const host of ['127.0.0.1', 'localhost']) {
    await page.goto(`http://${host}:${otherPort}/`);
    await expect(page).toHaveTitle('Someone else');
    await page.evaluate(() => fetch('/pixel.png?from=page', { credentials: 'include' }));
  }
  const tab = await context.newPage();
  await tab.goto(`http://127.0.0.1:${otherPort}/visit`);
  await expect(tab).toHaveTitle('Someone else');

  expect(seen.filter((request) => request.url === '/').length).toBe(2);
  expect(seen.some((request) => request.url === '/visit')).toBe(true);
  for (const request of seen) {
    expect(JSON.stringify(request), `${request.method} ${request.url}`).not.toContain(token);
    expect(request.headers.cookie ?? '', request.url).not.toMatch(/nixstrap/i);
  }
  // Nixstrap set no cookie at all, for any port.
  expect(await context.cookies()).toEqual([]);
});
