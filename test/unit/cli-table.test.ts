import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../common/rebuild';
import { table } from '../../main/cli/table';
import { formatRuns } from '../../main/cli/verbs/runs';

describe('table', () => {
  it('widens a column for its longest cell, so the next column stays aligned', () => {
    const lines = table(
      [
        ['/', 'ext4', '/dev/disk/by-uuid/1'],
        ['/srv/backups/very-long-mount-point-name', 'btrfs', '/dev/disk/by-uuid/2'],
      ],
      { indent: '  ' },
    ).split('\n');
    const [first, second] = lines.map((line) => line.indexOf('/dev/disk'));
    expect(first).toBe(second);
    expect(lines[1]).toContain('very-long-mount-point-name  btrfs  /dev/disk');
    expect(lines.every((line) => line.startsWith('  /'))).toBe(true);
  });

  it('aligns right-hand columns to the right and pads nothing after the last cell', () => {
    expect(
      table(
        [
          ['Gen', 'Marks'],
          ['7', 'current'],
          ['12', ''],
        ],
        { right: [0] },
      ),
    ).toBe(['Gen  Marks', '  7  current', ' 12'].join('\n'));
  });
});

describe('nixstrap runs as text', () => {
  const run: RunSummary = {
    id: '20261126160000-abcdef',
    kind: 'rebuild',
    status: 'interrupted',
    action: 'switch',
    host: 'demo',
    repo: '/srv/config',
    commit: null,
    dirty: null,
    lockWritten: null,
    subject: null,
    branch: null,
    profile: null,
    startedAt: '2026-11-26T16:00:00.000Z',
    endedAt: null,
    generation: null,
    storePath: null,
    exitCode: null,
    error: null,
  };

  it('says why an interrupted run ended, and when it died in activation, what it left', () => {
    const [, line] = formatRuns([run]).split('\n');
    expect(line).toMatch(/interrupted .*Nixstrap stopped before this run ended/);
    const [, activating] = formatRuns([{ ...run, generation: 4 }]).split('\n');
    expect(activating).toMatch(/Nixstrap stopped during activation/);
  });
});
