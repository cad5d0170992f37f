import { describe, expect, it } from 'vitest';
import { deleteWords } from '../../renderer/generations/delete-words';
import { revertWords, rollbackWords } from '../../renderer/generations/rollback-words';

const at = (number: number) => ({ number }) as never;

describe('a run on the Generations screen is headed by what it does', () => {
  it('a rollback, a switch forward, a boot default and a try, as their dialog asked them', () => {
    expect(rollbackWords({ action: 'switch', from: at(3), to: at(1) })).toBe(
      'Roll back to generation 1',
    );
    expect(rollbackWords({ action: 'switch', from: at(1), to: at(3) })).toBe(
      'Switch to generation 3',
    );
    expect(rollbackWords({ action: 'boot', from: at(3), to: at(2) })).toBe(
      'Boot into generation 2',
    );
    expect(rollbackWords({ action: 'test', from: null, to: at(2) })).toBe(
      'Try generation 2 until the next reboot',
    );
  });

  it('a deletion names the generations it deletes', () => {
    expect(deleteWords([1])).toBe('Delete generation 1');
    expect(deleteWords([1, 2, 4])).toBe('Delete generations 1, 2 and 4');
  });

  it('a trial nobody kept goes back to the generation before it', () => {
    expect(revertWords({ revertTo: 2 })).toBe('Back to generation 2');
  });
});
