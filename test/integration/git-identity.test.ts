import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Answers, Facts, Plan } from '../../common';
import { createApi } from '../../main/api';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

async function value<T>(promise: Promise<{ ok: boolean }>): Promise<T> {
  const result = (await promise) as { ok: true; value: T } | { ok: false; error: unknown };
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe("the repo is committed under the user's own git identity", () => {
  it('prefills it from git config, and uses it for a field left empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nixstrap-identity-'));
    const config = path.join(dir, 'gitconfig');
    writeFileSync(config, '[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n');
    process.env.GIT_CONFIG_GLOBAL = config;
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    const api = createApi({ shell: 'browser', dataDir: path.join(dir, 'data') });
    const facts = await value<Facts>(api.invoke('facts.detect', {}));
    const defaults = await value<Answers>(api.invoke('answers.defaults', { facts }));
    expect(defaults.git).toEqual({ name: 'Ada Lovelace', email: 'ada@example.org' });

    const answers = {
      ...defaults,
      git: { name: 'Ada L.', email: '' },
      secrets: false,
      passwordHash:
        '$6$nixstrapgolden01$xgNe7W/DZZ9H2y2SgckGbcOJ/CBdQZtV2BnGAycGJBPrW/POaXjAAVrvCvH.int3N7duAVYmNyLL05Emi8CxW/',
      services: ['openssh' as const],
      sshAuthorizedKeys: [
        'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFKBdkfpjpZIyHH+XIPNWJ9GKLTMK9pWHsHvWSDpKZNn alice@laptop',
      ],
    };
    const repo = path.join(dir, 'config');
    const request = { journey: 'init' as const, repo, answers, facts };
    const plan = await value<Plan>(api.invoke('plan.compute', request));
    await value(api.invoke('plan.apply', { ...request, planId: plan.id }));
    const author = execFileSync('git', ['-C', repo, 'log', '-1', '--format=%an <%ae>'], {
      encoding: 'utf8',
    }).trim();
    expect(author).toBe('Ada L. <ada@example.org>');
  });
});
