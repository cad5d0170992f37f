import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { type Browser, chromium } from '@playwright/test';
import { spawn } from 'node-pty';
import { build } from 'vite';
import { NixstrapFailure } from '../common';
import { createApi } from '../main/api';
import { type RunningServer, startServer } from '../main/server';
import { nixOutput } from '../test/helpers/nix-output';
import { type PtyRun, startPtyRun } from '../test/helpers/pty-run';
import type { BenchResult } from './terminal-page/main';

/**
 * 50 MB of build output through the whole terminal path: `cat` in a real pty, the server's
 * feed with its flow control, the WebSocket, the page's bridge and xterm.js in headless
 * Chromium. Compared with reading the same bytes from a pty in Node and with writing them
 * straight into xterm.js in the same browser, and with the feed's flow-control window run in the
 * page without the socket; a key typed every 50 ms during the flood is
 * timed until its echo is on screen. Twice: as the product streams a run (its pty always read)
 * (a backlog the page cannot draw in time skipped to its end) and with the pty held while the
 * page lags, as a plain terminal does.
 */

const MEGABYTES = Number(process.env.BENCH_MB ?? 50);
const TARGET_MB_PER_S = 20;
const TARGET_ECHO_P95_MS = 50;
const CHROMIUM = '/usr/bin/chromium';

const work = mkdtempSync(join(tmpdir(), 'nixstrap-bench-terminal-'));
const log = join(work, 'build.log');
const text = nixOutput(MEGABYTES * 1024 * 1024);
writeFileSync(log, text);
const mb = Buffer.byteLength(text) / (1024 * 1024);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/** The floor: the bytes read from a pty in Node, and nothing else done with them. */
function rawPty(): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    let last = started;
    // Under a shell that lingers, as the runs do: Linux drops a pty's unread tail at exit.
    const term = spawn('/bin/sh', ['-c', 'cat "$1"; sleep 0.5', 'sh', log], {
      cols: 160,
      rows: 48,
      encoding: null,
    });
    term.onData(() => {
      last = performance.now();
    });
    term.onExit(() => resolve(last - started));
  });
}

async function inPage(browser: Browser, server: RunningServer, query: string) {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  try {
    // The page is public; its key rides in the fragment, as in the address `serve` prints.
    const printed = new URL(server.url);
    await tab.goto(`${printed.origin}/?${query}${printed.hash}`);
    await tab.waitForFunction(() => window.benchResult ?? window.benchError, undefined, {
      timeout: 900_000,
      polling: 250,
    });
    const error = await tab.evaluate(() => window.benchError);
    if (error) throw new Error(error);
    return (await tab.evaluate(() => window.benchResult)) as BenchResult;
  } finally {
    await tab.close();
  }
}

interface BrowserResults {
  /** The server's event loop while the product's path streamed the flood. */
  serverStalls: IntervalHistogram;
  alone: BenchResult;
  /** The feed and its window in the page, no socket: what the window's turnarounds cost. */
  window: BenchResult;
  /** The product's way: the run reads its pty whatever the page does. */
  streamed: BenchResult;
  /** The pty held while the page is behind: the command itself waits. */
  held: BenchResult;
}

async function inBrowser(): Promise<BrowserResults> {
  const page = join(work, 'page');
  await build({
    root: join(import.meta.dirname, 'terminal-page'),
    logLevel: 'error',
    build: { outDir: page, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  });
  copyFileSync(log, join(page, 'build.log'));
  // Each flood starts when the page attaches, so every byte goes through the flow control.
  const runs = new Map<string, PtyRun>();
  const server = await startServer({
    api: createApi({ shell: 'browser', dataDir: join(work, 'data') }, undefined, async (id) => {
      if (id !== 'streamed' && id !== 'held') {
        throw new NixstrapFailure('RUN_NOT_FOUND', `No run ${id}.`, '');
      }
      // `streamed` reads its pty as the product's recorded runs do: never held for a slow page,
      // which would stall a rebuild; `held` is the back-pressure a plain terminal applies.
      const run =
        runs.get(id) ??
        startPtyRun(id, ['cat', log], { cols: 160, rows: 48, holdable: id === 'held' });
      runs.set(id, run);
      return run;
    }),
    rendererDir: page,
    log: () => {},
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
  });
  try {
    const alone = await inPage(browser, server, 'mode=alone');
    const window = await inPage(browser, server, 'mode=window');
    // How long the server, reading the pty and holding the text for replays, left a typed key
    // (or any other request) waiting.
    const serverStalls = monitorEventLoopDelay({ resolution: 5 });
    serverStalls.enable();
    const streamed = await inPage(browser, server, 'mode=path&run=streamed');
    serverStalls.disable();
    const held = await inPage(browser, server, 'mode=path&run=held');
    return { serverStalls, alone, window, streamed, held };
  } finally {
    await browser.close();
    await server.close();
    for (const run of runs.values()) run.pty.kill();
  }
}

/** How often xterm.js ran dry and how long each wait was. */
function turnarounds(path: BenchResult): string {
  if (path.starvedTimes === 0) return '';
  return ` (${path.starvedTimes} waits, ${(path.starvedMs / path.starvedTimes).toFixed(1)} ms each)`;
}

/**
 * The echoes' line: how long a key typed during the flood took to show. A key never echoed
 * counts at the least it waited (2 s when given up, else until the flood's end): leaving it out
 * would make the percentiles look better the more keys are lost.
 */
function echoes(path: BenchResult): number {
  const delays = [...path.echoes, ...path.missedMs];
  const p50 = percentile(delays, 50);
  const p95 = percentile(delays, 95);
  const lost = path.lostEchoes ? `, ${path.lostEchoes} not echoed within 2 s (counted as 2 s)` : '';
  const skipped = path.unechoed
    ? `, ${path.unechoed} not echoed by the end (its echo skipped, or typed after the run ended; counted as the ${(path.missedMs.at(-1) ?? 0).toFixed(0)} ms it waited)`
    : '';
  console.log(
    `    keypress echo during the flood: ${delays.length} keys, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms${lost}${skipped}`,
  );
  return p95;
}

/** One path's lines: its rate and ratios, how long xterm.js waited, the echoes during it. */
function report(label: string, path: BenchResult, rawRate: number, aloneRate: number): void {
  const rate = mb / (path.ms / 1000);
  console.log(`  ${label.padEnd(41)} ${rate.toFixed(1).padStart(6)} MB/s`);
  console.log(
    `    ratio to the raw pty read ${(rate / rawRate).toFixed(2)}, to xterm.js alone ${(rate / aloneRate).toFixed(2)}; xterm.js idle, waiting for the path, ${((100 * path.starvedMs) / path.ms).toFixed(0)} % of the time${turnarounds(path)}`,
  );
  const p95 = echoes(path);
  console.log(
    `    targets: ${(rate / TARGET_MB_PER_S).toFixed(2)} of ${TARGET_MB_PER_S} MB/s, p95 echo ${(p95 / TARGET_ECHO_P95_MS).toFixed(2)} of ${TARGET_ECHO_P95_MS} ms`,
  );
}

/**
 * The product path's lines. Its feed skips a backlog a page cannot draw in time, so what counts
 * is how soon the flood's last line is on screen ("kept up with": the whole flood over that
 * time) beside what xterm.js actually drew in it.
 */
function reportSkipping(label: string, path: BenchResult, rawRate: number): void {
  const seconds = path.ms / 1000;
  const drawn = (mb * path.chars) / (path.chars + path.skipped);
  const keptUp = mb / seconds;
  console.log(
    `  ${label.padEnd(41)} ${keptUp.toFixed(1).padStart(6)} MB/s kept up with (the flood's last line drawn ${seconds.toFixed(2)} s after its first)`,
  );
  console.log(
    `    drawn about ${drawn.toFixed(1)} MB (${(drawn / seconds).toFixed(1)} MB/s drawn), skipped about ${(mb - drawn).toFixed(1)} MB (${path.skipped} characters); ratio kept up with to the raw pty read ${(keptUp / rawRate).toFixed(2)}; xterm.js idle, waiting for the path, ${((100 * path.starvedMs) / path.ms).toFixed(0)} % of the time${turnarounds(path)}`,
  );
  const p95 = echoes(path);
  console.log(
    `    targets: ${(keptUp / TARGET_MB_PER_S).toFixed(2)} of ${TARGET_MB_PER_S} MB/s kept up with, p95 echo ${(p95 / TARGET_ECHO_P95_MS).toFixed(2)} of ${TARGET_ECHO_P95_MS} ms`,
  );
}

try {
  const load = loadavg()[0] ?? 0;
  const rawRate = mb / ((await rawPty()) / 1000);
  const { serverStalls, alone, window, streamed, held } = await inBrowser();
  const aloneRate = mb / (alone.ms / 1000);
  console.log(
    `terminal: ${mb.toFixed(1)} MB of build output (${streamed.chars + streamed.skipped} characters), ${streamed.renderer} renderer, load average ${load.toFixed(1)} on ${availableParallelism()} cores`,
  );
  console.log(`  pty read raw in Node                      ${rawRate.toFixed(1).padStart(6)} MB/s`);
  console.log(
    `  xterm.js alone in Chromium                ${aloneRate.toFixed(1).padStart(6)} MB/s`,
  );
  const windowRate = mb / (window.ms / 1000);
  console.log(
    `  the feed's window in the page, no socket  ${windowRate.toFixed(1).padStart(6)} MB/s`,
  );
  console.log(
    `    ratio to xterm.js alone ${(windowRate / aloneRate).toFixed(2)}; xterm.js idle, waiting for acknowledgements to turn around, ${((100 * window.starvedMs) / window.ms).toFixed(0)} % of the time${turnarounds(window)}`,
  );
  reportSkipping('pty → feed → WebSocket → xterm.js', streamed, rawRate);
  console.log(
    `    the server's event loop meanwhile: delayed ${(serverStalls.percentile(99) / 1e6).toFixed(1)} ms at the 99th percentile, ${(serverStalls.max / 1e6).toFixed(1)} ms at most`,
  );
  console.log(
    '    (the product: a run reads its pty whatever the page does; a page far behind gets the end of the stream)',
  );
  report('the same, the pty held while the page lags', held, rawRate, aloneRate);
} finally {
  rmSync(work, { recursive: true, force: true });
}
