import { lookup } from 'node:dns/promises';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { NixstrapFailure } from '../../../common/failure';
import { makeDirs, resolveDataDir, resourcePath } from '../../core/platform';
import { type RunningServer, type ServerOptions, startServer } from '../../server';
import { stringFlag, usageFailure, type VerbContext } from '../context';
import { call, openApi } from '../engine';

const FREE_PORT = 'Omit --port to pick a free one.';
const LOOPBACK = 'Omit --bind to serve on 127.0.0.1, reachable through an SSH tunnel.';
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Plain decimal only: `0x10`, `1e3` and ` 80` are typos here, not ports. */
function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw usageFailure(
      `--port must be a whole number from 0 to 65535, not ${JSON.stringify(raw)}.`,
      FREE_PORT,
    );
  }
  return port;
}

/** An IP address, or a host name that resolves here; anything else would fail later, less clearly. */
async function checkBind(bind: string): Promise<void> {
  if (isIP(bind)) return;
  if (!HOST_NAME.test(bind)) {
    throw usageFailure(
      `--bind must be an IP address or a host name, not ${JSON.stringify(bind)}.`,
      LOOPBACK,
    );
  }
  try {
    await lookup(bind);
  } catch {
    throw usageFailure(`--bind ${bind} does not resolve to an address.`, LOOPBACK);
  }
}

function listenFailure(error: unknown, host: string, port: number): NixstrapFailure {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return usageFailure(`Port ${port} is already in use on ${host}.`, FREE_PORT);
    case 'EACCES':
      return usageFailure(`Port ${port} is reserved for the system administrator.`, FREE_PORT);
    case 'EADDRNOTAVAIL':
      return usageFailure(`${host} is not an address of this machine.`, LOOPBACK);
    default:
      return new NixstrapFailure(
        'INTERNAL',
        `Nixstrap could not listen on ${host}:${port} (${error instanceof Error ? error.message : String(error)}).`,
        LOOPBACK,
      );
  }
}

/** Whole seconds; 0 turns the "Keep this configuration?" trial off. */
function parseKeepSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,5}$/.test(raw)) {
    throw usageFailure(
      `--keep-seconds must be a whole number of seconds, not ${JSON.stringify(raw)}.`,
      'Omit it to wait 60 seconds; 0 keeps every switch without asking.',
    );
  }
  return Number(raw);
}

/**
 * A page keeps its answers in session storage, which belongs to one origin, port included. Coming
 * back on the port of the last start keeps that origin, so after a restart the user opens the new
 * address in the same tab and finds their answers; a taken port falls back to a free one.
 */
function lastPortFile(ctx: VerbContext): string {
  return path.join(resolveDataDir(stringFlag(ctx, 'data-dir')), 'serve-port');
}

/** 0 (any free port) when there was no earlier start or its note is unreadable. */
function readLastPort(file: string): number {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    return /^\d{1,5}$/.test(text) && Number(text) <= 65535 ? Number(text) : 0;
  } catch {
    return 0;
  }
}

async function rememberPort(file: string, port: number): Promise<void> {
  await makeDirs(path.dirname(file));
  await fs.promises.writeFile(file, `${port}\n`);
}

/** `--port` when given; else the port of the last start if it is free, else any free one. */
async function listen(
  ctx: VerbContext,
  options: Omit<ServerOptions, 'port'>,
  chosen: number | undefined,
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const start = (port: number) =>
    startServer({ ...options, port }).catch((error: unknown) => {
      throw listenFailure(error, host, port);
    });
  if (chosen !== undefined) return start(chosen);
  const portFile = lastPortFile(ctx);
  const previous = readLastPort(portFile);
  const server = previous ? await start(previous).catch(() => start(0)) : await start(0);
  // Remembering is a convenience: a data dir that cannot be written changes nothing else.
  await rememberPort(portFile, server.port).catch(() => undefined);
  return server;
}

/** With a rebuild running in this process, one bad request must not take the switch down with it. */
function keepServing(ctx: VerbContext): void {
  const report = (what: unknown) =>
    ctx.io.err(
      `nixstrap serve: kept running after an unexpected problem: ${what instanceof Error ? what.message : String(what)}`,
    );
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
}

export async function run(ctx: VerbContext): Promise<number> {
  const port = parsePort(stringFlag(ctx, 'port'));
  const keepSeconds = parseKeepSeconds(stringFlag(ctx, 'keep-seconds'));
  const host = stringFlag(ctx, 'bind') ?? '127.0.0.1';
  await checkBind(host);
  const rendererDir = resourcePath('out', 'renderer');
  if (!fs.existsSync(rendererDir)) {
    throw new NixstrapFailure(
      'INTERNAL',
      'The user interface has not been built.',
      'Run `npm run build` in the Nixstrap folder, then try again.',
    );
  }
  const api = openApi(ctx, 'browser', keepSeconds !== undefined ? { keepSeconds } : {});
  // Every page starts by detecting: a fixture that cannot be read is told here, not in the browser.
  if (stringFlag(ctx, 'fixture') !== undefined) await call(ctx, api, 'facts.detect', {});
  const server = await listen(ctx, { api, host, rendererDir }, port);
  keepServing(ctx);
  ctx.io.out(`Nixstrap is running at ${server.url}`);
  ctx.io.err(
    'Open that whole address, #token=… included, in a browser on this machine (or through an SSH tunnel). Press Ctrl-C to stop.',
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
