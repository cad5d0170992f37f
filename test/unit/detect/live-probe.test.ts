import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FactsSchema } from '../../../common/facts';
import { createLiveProbe, detectWithTimings } from '../../../main/core/detect/index';

describe('detecting the machine the tests run on', () => {
  it('produces schema-valid facts with a timing for every detector', () => {
    const { facts, timings } = detectWithTimings(createLiveProbe());
    expect(FactsSchema.safeParse(facts).success).toBe(true);
    expect(facts.system).toMatch(/-(linux|darwin)$/);
    expect(timings.map((timing) => timing.detector)).toContain('kernel-modules');
    expect(timings.every((timing) => timing.ms >= 0)).toBe(true);
  });

  it('runs only the allowed commands and reports a missing one as absent', () => {
    const probe = createLiveProbe();
    expect(probe.run(['uname', '-m'])?.exitCode).toBe(0);
    expect(probe.run(['sh', '-c', 'echo hi'])).toBeNull();
    expect(probe.run(['uname', '-a'])).toBeNull();
    const missing = probe.run(['sw_vers', '-productVersion']);
    if (process.platform !== 'darwin') expect(missing).toBeNull();
  });

  it('keeps a non-zero exit as information', () => {
    const result = createLiveProbe().run(['sysctl', '-n', 'no.such.key.nixstrap']);
    if (result !== null) expect(result.exitCode).not.toBe(0);
  });

  it('reads only the environment variables detection needs', () => {
    const probe = createLiveProbe();
    expect(probe.env('PATH')).toBeUndefined();
    expect(probe.env('HOME')).toBeUndefined();
  });

  it('reads a binary file byte for byte, where text would garble it', () => {
    // /etc/hostid of `hostid` 8425e349 holds 49 e3 25 84; 0xe3 alone is not UTF-8.
    const path = join(mkdtempSync(join(tmpdir(), 'nixstrap-hostid-')), 'hostid');
    writeFileSync(path, Buffer.from([0x49, 0xe3, 0x25, 0x84]));
    const probe = createLiveProbe();
    expect([...(probe.readBytes(path) ?? [])]).toEqual([0x49, 0xe3, 0x25, 0x84]);
    expect(probe.readFile(path)).toContain('\uFFFD');
    expect(probe.readBytes(`${path}.absent`)).toBeNull();
  });
});
