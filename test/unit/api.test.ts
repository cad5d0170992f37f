import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactsSchema } from '../../common';
import { createApi, createClientSession } from '../../main/api';
import { createHandlers } from '../../main/api/handlers';
import { findEngineRun } from '../../main/api/runs';
import { createIpcDispatch } from '../../main/electron/ipc-dispatch';
import { APP_ENTRY_URL } from '../../main/electron/navigation';

const fixture = path.resolve(import.meta.dirname, '../fixtures/machines/raspberry-pi-4');
const ctx = { shell: 'cli' as const, dataDir: '/tmp/nixstrap-api-test' };
const engineHandlers = () => createHandlers(ctx, findEngineRun(ctx.dataDir));

describe("the proposed answers take the machine's time zone, locale and keyboard", () => {
  it('proposes what a German NixOS laptop was set up with', async () => {
    const api = createApi(ctx);
    const thinkpad = path.resolve(import.meta.dirname, '../fixtures/machines/thinkpad-t480-luks');
    const facts = await api.call('facts.detect', { fixture: thinkpad });
    if (!facts.ok) throw new Error(facts.error.message);
    const answers = await api.call('answers.defaults', { facts: facts.value });
    expect(answers).toMatchObject({
      ok: true,
      value: {
        timeZone: 'Europe/Berlin',
        locale: 'de_DE.UTF-8',
        keyboardLayout: 'de',
        keyboardVariant: 'nodeadkeys',
      },
    });
  });
});

describe('every call is validated against the contract and answers with a Result', () => {
  const api = createApi(ctx);

  it('runs a valid call through the engine', async () => {
    const result = await api.call('facts.detect', { fixture });
    expect(result.ok).toBe(true);
    if (result.ok) expect(FactsSchema.parse(result.value).kind).toBe('raspberry-pi');
  });

  it('refuses an unknown channel with UNKNOWN_CHANNEL', async () => {
    expect(await api.call('system.format', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
  });

  it.each([
    ['a wrong type', 'facts.detect', { fixture: 42 }],
    ['an unknown field', 'facts.detect', { fixture, extra: true }],
    ['a missing field', 'hosts.list', {}],
    ['not an object', 'plan.compute', 'init please'],
  ])('refuses %s with INVALID_REQUEST naming the field', async (_what, channel, request) => {
    const result = await api.call(channel, request);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    if (!result.ok)
      expect(result.error.message).toMatch(
        new RegExp(`^The request for ${channel.replace('.', '\\.')} is invalid: `),
      );
  });

  it('turns an engine failure into its code, sentence and hint', async () => {
    const result = await api.call('facts.detect', { fixture: '/nonexistent/fixture' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'FIXTURE_INVALID', hint: expect.any(String) },
    });
  });

  it('turns an unexpected exception into INTERNAL instead of throwing', async () => {
    const handlers = engineHandlers();
    const broken = createApi(ctx, {
      ...handlers,
      'app.info': async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    });
    expect(await broken.call('app.info', {})).toMatchObject({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: expect.stringContaining('cannot read properties of undefined'),
      },
    });
  });

  it('refuses to hand out a value that breaks the contract', async () => {
    const handlers = engineHandlers();
    const sloppy = createApi(ctx, {
      ...handlers,
      'hosts.list': async () => [{ name: 'x' }] as never,
    });
    expect(await sloppy.call('hosts.list', { repo: '/tmp' })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });
});

describe("a host's keys asked for by a name no host can have", () => {
  it('are refused before any key file is looked for or made', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nixstrap-api-keys-'));
    const api = createApi({ ...ctx, dataDir });
    const result = await api.call('secrets.keys', {
      hostName: '../../escape',
      fixture,
      create: true,
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'HOST_NAME_INVALID',
        message: `A host name may hold only letters, digits, '-' and '_' (NixOS's networking.hostName rule); "../../escape" has '.'.`,
      },
    });
    expect(readdirSync(dataDir)).toEqual([]);
    expect(existsSync(path.join(dataDir, '..', 'escape.txt'))).toBe(false);
  });
});

describe('an IPC message from the renderer', () => {
  const api = createClientSession(createApi(ctx), {
    event: () => {},
    frame: () => {},
    log: () => {},
  });
  const trusted = new Set([7]);
  const appPage = { webContentsId: 7, frameUrl: APP_ENTRY_URL, isMainFrame: true };
  const logged: string[] = [];
  const dispatch = createIpcDispatch(trusted, { log: (line: string) => logged.push(line) });

  it('with a payload failing the schema gets a typed error, not a crash', async () => {
    const result = await dispatch.call(() => api, appPage, {
      channel: 'facts.detect',
      request: { fixture: ['x'] },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });

  it.each([null, 'facts.detect', 42, { request: {} }, { channel: 9 }])(
    'shaped as %j gets INVALID_REQUEST',
    async (message) => {
      expect(await dispatch.call(() => api, appPage, message)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST' },
      });
    },
  );

  it('from a window the app did not create, or from a subframe, is refused and logged', async () => {
    const call = { channel: 'app.info', request: {} };
    for (const sender of [
      { ...appPage, webContentsId: 8 },
      { ...appPage, isMainFrame: false },
      { ...appPage, frameUrl: 'https://evil.example/' },
    ]) {
      expect(await dispatch.call(() => api, sender, call)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN_ORIGIN' },
      });
    }
    expect(logged).toHaveLength(3);
  });

  it('from a refused sender never opens a session for it, which nothing would close', async () => {
    let opened = 0;
    const sessionOf = () => {
      opened += 1;
      return api;
    };
    const stranger = { ...appPage, webContentsId: 8 };
    await dispatch.call(sessionOf, stranger, { channel: 'app.info', request: {} });
    await dispatch.subscribe(sessionOf, stranger, { id: 1, topic: 'rebuild.subscribe' });
    expect(opened).toBe(0);
    await dispatch.call(sessionOf, appPage, { channel: 'app.info', request: {} });
    expect(opened).toBe(1);
  });

  it('from the app page reaches the API', async () => {
    const result = await dispatch.call(() => api, appPage, { channel: 'app.info', request: {} });
    expect(result).toMatchObject({ ok: true, value: { shell: 'cli' } });
  });
});

describe('a repo path typed into the wizard', () => {
  it('is relative to the home folder, not to wherever the server was started', async () => {
    const answers = JSON.parse(
      readFileSync(
        path.resolve(import.meta.dirname, '../fixtures/answers/workstation.json'),
        'utf8',
      ),
    );
    const browser = createApi({ ...ctx, shell: 'browser' });
    const name = `nixstrap-rel-${process.pid}`;
    const result = await browser.call('plan.compute', {
      journey: 'init',
      repo: name,
      answers,
      fixture,
    });
    expect(result).toMatchObject({ ok: true, value: { repo: path.join(os.homedir(), name) } });
  });
});
