import { describe, expect, it } from 'vitest';
import { spawnPty } from '../../main/core/rebuild/pty';

/** Everything a command printed in a real pty, as read up to its exit. */
async function outputOf(argv: string[]): Promise<string> {
  const chunks: Buffer[] = [];
  const command = spawnPty(argv, {
    env: process.env,
    cwd: process.cwd(),
    cols: 80,
    rows: 24,
    onData: (data) => chunks.push(Buffer.from(data)),
  });
  await command.exit;
  return Buffer.concat(chunks).toString('utf8');
}

describe('a command that prints and exits at once', () => {
  it('has its last lines read, not dropped with the terminal at exit', async () => {
    // 100 KB printed in a few milliseconds: without the terminal held open, Linux dropped
    // the unread tail in most runs on this machine.
    for (let run = 0; run < 10; run += 1) {
      const lines = (await outputOf(['seq', '1', '20000'])).trimEnd().split('\r\n');
      expect(lines.length, `run ${run}`).toBe(20_000);
      expect(lines.at(-1), `run ${run}`).toBe('20000');
    }
  });

  it('still reports its exit code and a short output whole', async () => {
    const chunks: Buffer[] = [];
    const command = spawnPty(['sh', '-c', 'printf "error: last line"; exit 3'], {
      env: process.env,
      cwd: process.cwd(),
      cols: 80,
      rows: 24,
      onData: (data) => chunks.push(Buffer.from(data)),
    });
    expect(await command.exit).toEqual({ exitCode: 3, signal: null });
    expect(Buffer.concat(chunks).toString('utf8')).toBe('error: last line');
  });
});
