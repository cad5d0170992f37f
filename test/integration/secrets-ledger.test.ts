import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunStore, openLedger } from '../../main/core/ledger';

describe('the ledger keeps the answers of a run, never the password hash', () => {
  it('stores every other answer and nothing of the hash, in the database or its journal', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nixstrap-ledger-secret-'));
    const hash = execFileSync('mkpasswd', ['-m', 'yescrypt', 'a password'], {
      encoding: 'utf8',
    }).trim();
    const ledger = openLedger(dir);
    const run = createRunStore(ledger).start({
      kind: 'rebuild',
      action: 'switch',
      argv: ['nixos-rebuild', 'switch'],
      answers: { hostName: 'atlas', secrets: true, passwordHash: hash },
    });
    const stored = ledger.db
      .prepare(
        'SELECT answers_json FROM answers_snapshots JOIN runs ON runs.answers_id = answers_snapshots.id WHERE runs.id = ?',
      )
      .get(run.id) as { answers_json: string };
    expect(JSON.parse(stored.answers_json)).toEqual({
      hostName: 'atlas',
      secrets: true,
      passwordHash: null,
    });
    ledger.close();
    for (const file of fs.readdirSync(dir)) {
      expect(fs.readFileSync(path.join(dir, file)).includes(hash), file).toBe(false);
    }
  });
});
