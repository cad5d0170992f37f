import { describe, expect, it } from 'vitest';
import { closestWord } from '../../main/cli/did-you-mean';

const VERBS = ['detect', 'capture', 'init', 'add-host', 'plan', 'hosts', 'rebuild', 'runs', 'log'];

describe('the word a mistyped one most likely meant', () => {
  it('finds a typo a few edits away, a swap of two letters counted as one', () => {
    expect(closestWord('pln', VERBS)).toBe('plan');
    expect(closestWord('rebiuld', VERBS)).toBe('rebuild');
    expect(closestWord('add-hots', VERBS)).toBe('add-host');
    expect(closestWord('DETECT', VERBS)).toBe('detect');
  });

  it('finds the only word a prefix begins', () => {
    expect(closestWord('cap', VERBS)).toBe('capture');
    expect(closestWord('reb', VERBS)).toBe('rebuild');
  });

  it('says nothing when no word is close, or two are as close', () => {
    expect(closestWord('teleport', VERBS)).toBeNull();
    expect(closestWord('x', VERBS)).toBeNull();
    expect(closestWord('host2', ['host1', 'host3'])).toBeNull();
  });
});
