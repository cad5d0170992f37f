import { describe, expect, it } from 'vitest';
import { writeSkipNotice } from '../../renderer/components/terminal-output';

describe('the notice of output skipped to keep up', () => {
  it('starts on a fresh line with colours reset, says about how much, and ends its line', () => {
    const written: string[] = [];
    writeSkipNotice({ write: (text: string) => written.push(text) }, 18 * 1024 * 1024 + 5);
    expect(written).toHaveLength(1);
    const notice = written[0] as string;
    expect(notice.startsWith('\r\n\x1b[0m'), 'a colour the skip cut off does not leak').toBe(true);
    expect(notice).toContain('about 18.0 MiB of output skipped');
    expect(notice).toContain("the run's full log");
    expect(notice.endsWith('\x1b[0m\r\n')).toBe(true);
  });
});
