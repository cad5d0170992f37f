import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NixLogParser, ProgressModel } from '../../main/core/rebuild';
import { parseNixVersion, RESULT_CODES } from '../../main/core/rebuild/codes';
import { renderRecord } from '../../main/core/rebuild/render';
import { stripAnsi } from '../../main/core/rebuild/text';

const LOGS = path.join(import.meta.dirname, '../fixtures/nix-logs');

/** Feeds a captured log through the parser into a model, as a run does; returns the screen too. */
function replay(file: string, impl: 'nix' | 'determinate' = 'nix') {
  const model = new ProgressModel(RESULT_CODES[impl]);
  let screen = '';
  const parser = new NixLogParser({
    text: (t) => {
      screen += t;
    },
    record: (record) => {
      model.apply(record);
      screen += renderRecord(record, model, RESULT_CODES[impl]) ?? '';
    },
  });
  parser.push(fs.readFileSync(path.join(LOGS, file)));
  parser.end();
  return { model, screen: stripAnsi(screen) };
}

describe('progress from the records of a real build', () => {
  it('counts the builds Nix reports, and shows each builder line under its derivation', () => {
    const { model, screen } = replay('build-success.pty.log');
    expect(model.snapshot().builds).toEqual({ done: 4, expected: 4, running: 0, failed: 0 });
    expect(model.snapshot().current).toBeNull();
    expect(screen).toContain('building libfoo-1.2\r\n');
    expect(screen).toContain(
      'libfoo-1.2> libfoo 59: compiling src/module_59.c — größe ✓ 日本語 🚀',
    );
    expect(model.failure()).toBeNull();
  });

  it('names the failing derivation with its last log lines', () => {
    const { model, screen } = replay('build-failure.pty.log');
    expect(model.snapshot().builds.failed).toBe(1);
    const failure = model.failure();
    expect(failure?.name).toBe('broken-pkg-2.0');
    expect(failure?.drv).toMatch(/^\/nix\/store\/[0-9a-z]{32}-broken-pkg-2\.0\.drv$/);
    expect(failure?.logTail).toEqual([
      'configuring…',
      'checking for gcc... /usr/bin/gcc',
      'make: *** [Makefile:12: all] Error 2 ✗',
    ]);
    expect(screen).toMatch(/error: builder for '.*broken-pkg-2\.0\.drv' failed with exit code 2/);
  });

  it('counts paths fetched from a binary cache and the bytes copied', () => {
    const { model, screen } = replay('substitute.pty.log');
    const progress = model.snapshot();
    expect(progress.downloads).toEqual({ done: 2, expected: 2, running: 0, failed: 0 });
    expect(progress.bytes.expectedCopy).toBe(3000984);
    expect(progress.bytes.expectedDownload).toBe(3000752);
    // The 3 MB payload counts in full; Nix sent no progress at all for the tiny system path.
    expect(progress.bytes.copied).toBe(3000280);
    expect(screen).toContain("copying path '/nix/store/");
  });

  it('tracks the derivation being built and its phase while it runs', () => {
    const model = new ProgressModel(RESULT_CODES.nix);
    const drv = '/nix/store/aiwn41kw59qdz54hvpx67vvy92xpxgm3-hello-2.12.drv';
    model.apply({ action: 'start', id: 5, level: 3, type: 105, text: '', fields: [drv, '', 1, 1] });
    model.apply({ action: 'result', id: 5, type: 104, fields: ['buildPhase'] });
    expect(model.snapshot().current).toEqual({ drv, name: 'hello-2.12', phase: 'buildPhase' });
    model.apply({ action: 'stop', id: 5 });
    expect(model.snapshot().current).toBeNull();
  });

  it('skips result codes it does not know, and reads Determinate Nix with its own code map', () => {
    for (const impl of ['nix', 'determinate'] as const) {
      const model = new ProgressModel(RESULT_CODES[impl]);
      model.apply({ action: 'start', id: 1, level: 0, type: 104, text: '' });
      model.apply({ action: 'result', id: 1, type: 109, fields: ['/nix/store/x'] });
      model.apply({ action: 'result', id: 1, type: 110, fields: [{ odd: true } as never] });
      model.apply({ action: 'result', id: 1, type: 999, fields: [] });
      model.apply({ action: 'result', id: 1, type: 105, fields: [1, 2, 1, 0] });
      model.apply({ action: 'start', id: 2, level: 0, type: 4242, text: 'new activity' });
      expect(model.snapshot().builds).toEqual({ done: 1, expected: 2, running: 1, failed: 0 });
    }
  });
});

describe('which Nix wrote the records', () => {
  it('tells upstream Nix from Determinate Nix by `nix --version`', () => {
    expect(parseNixVersion('nix (Nix) 2.8.0\n')).toEqual({ impl: 'nix', version: '2.8.0' });
    expect(parseNixVersion('nix (Determinate Nix 3.6.2) 2.29.0')).toEqual({
      impl: 'determinate',
      version: '2.29.0',
    });
    expect(RESULT_CODES.determinate[109]).toBe('hashMismatch');
    expect(RESULT_CODES.nix[109]).toBe('fetchToStore');
  });
});
