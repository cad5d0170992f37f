import { useEffect, useState } from 'react';
import type { Bridge, ConnectionState } from '../bridge';
import { Banner } from './Banner';

const LABEL: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Offline',
  'locked-out': 'Needs the new address',
};

export function useConnection(bridge: Bridge): ConnectionState {
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => bridge.onConnection(setState), [bridge]);
  return state;
}

/** The small indicator in the top bar; its changes are announced. */
export function ConnectionStatus({ state }: { state: ConnectionState }) {
  return (
    <p
      className={`connection connection-${state}`}
      role="status"
      data-testid="connection"
      data-state={state}
      title={LABEL[state]}
    >
      <span className="connection-dot" aria-hidden="true" />
      {LABEL[state]}
    </p>
  );
}

/** What an offline or locked-out page means for the user, and what to do about it. */
export function ConnectionNotice({ state }: { state: ConnectionState }) {
  if (state === 'offline') {
    return (
      <Banner tone="warning" title="Nixstrap is not answering" testId="offline-notice">
        <p>
          This page keeps trying and carries on by itself as soon as it answers again; nothing you
          entered is lost. If you stopped <code className="inline-code">nixstrap serve</code>, start
          it again and open the address it prints.
        </p>
      </Banner>
    );
  }
  if (state === 'locked-out') {
    return (
      <Banner tone="warning" title="Nixstrap was restarted" testId="locked-out-notice">
        <p>
          Each start prints a new address with a new key, and this page still holds the old one.
          Open the new address in this tab: it is on the line{' '}
          <code className="inline-code">Nixstrap is running at …</code> in the terminal where{' '}
          <code className="inline-code">nixstrap serve</code> runs. Your answers are kept.
        </p>
      </Banner>
    );
  }
  return null;
}
