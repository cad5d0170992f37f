import { describe, expect, it } from 'vitest';
import { keyFromProtocols, keyProtocol, SOCKET_PROTOCOL } from '../../common/browser-key';
import { keyInAddress } from '../../renderer/bridge/launch-key';

describe('the page takes its key out of the address it was opened with', () => {
  it('finds the key in the fragment, as nixstrap serve prints it, and drops the fragment', () => {
    expect(keyInAddress('http://127.0.0.1:4000/#token=abc_-1')).toEqual({
      key: 'abc_-1',
      rest: 'http://127.0.0.1:4000/',
    });
  });

  it('finds the key in the query of an older address and keeps the rest of the query', () => {
    expect(keyInAddress('http://127.0.0.1:4000/?mode=path&token=abc&run=x')).toEqual({
      key: 'abc',
      rest: 'http://127.0.0.1:4000/?mode=path&run=x',
    });
    expect(keyInAddress('http://127.0.0.1:4000/?token=abc#plan')).toEqual({
      key: 'abc',
      rest: 'http://127.0.0.1:4000/#plan',
    });
  });

  it('finds nothing in an address of a wizard step or without a key', () => {
    expect(keyInAddress('http://127.0.0.1:4000/#plan')).toBeNull();
    expect(keyInAddress('http://127.0.0.1:4000/#generations')).toBeNull();
    expect(keyInAddress('http://127.0.0.1:4000/')).toBeNull();
  });
});

describe('a WebSocket offers its key as a subprotocol beside the plain one', () => {
  it('reads the key back from the header a browser sends, whatever the order', () => {
    const key = 'Zm9v_bar-baz';
    expect(keyFromProtocols(`${SOCKET_PROTOCOL}, ${keyProtocol(key)}`)).toBe(key);
    expect(keyFromProtocols(`${keyProtocol(key)},${SOCKET_PROTOCOL}`)).toBe(key);
    expect(keyFromProtocols(SOCKET_PROTOCOL)).toBeUndefined();
    expect(keyFromProtocols(undefined)).toBeUndefined();
  });
});
