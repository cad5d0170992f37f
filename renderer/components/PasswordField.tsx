import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import type { NixstrapError } from '../../common';
import type { Bridge } from '../bridge';
import { IssueList } from './Field';

interface PasswordFieldProps {
  bridge: Bridge;
  userName: string;
  /** The hash the answers hold, or null: the password itself is never kept. */
  hash: string | null;
  required: boolean;
  issues: string[];
  onHash: (hash: string | null) => void;
}

/**
 * The owner's password, asked twice. It lives in these two inputs only until the engine has
 * hashed it; then they are emptied and the answers keep the hash alone.
 */
export function PasswordField({
  bridge,
  userName,
  hash,
  required,
  issues,
  onHash,
}: PasswordFieldProps) {
  const id = useId();
  const [first, setFirst] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<NixstrapError | null>(null);
  // The control the user acted on goes away with the answer, so the keyboard goes to the one
  // that takes its place: "Change the password" once set, the first input once changing.
  const refocus = useRef(false);
  const change = useRef<HTMLButtonElement>(null);
  const firstInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    (hash === null ? firstInput : change).current?.focus();
  }, [hash]);
  // Only once the second entry is as long as the first, or already strays from it.
  const mismatch =
    again !== '' && (again.length >= first.length || !first.startsWith(again)) && first !== again;
  const problems = [
    ...(mismatch ? ['The two passwords differ.'] : []),
    ...(error ? [`${error.message} ${error.hint}`] : []),
    ...issues,
  ];
  const issueId = problems.length > 0 ? `${id}-issues` : undefined;

  async function setPassword() {
    setBusy(true);
    setError(null);
    const result = await bridge.hashPassword({ password: first });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setFirst('');
    setAgain('');
    refocus.current = true;
    onHash(result.value.hash);
  }

  const ready = !busy && first !== '' && first === again;

  // Enter in either input sets the password, as the button beside them does, instead of
  // submitting the whole form with the password still unset.
  function onEnter(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter' || !ready) return;
    event.preventDefault();
    void setPassword();
  }

  return (
    <fieldset
      className={`choice-group password-field${problems.length ? ' field-invalid' : ''}`}
      data-testid="answer-passwordHash"
      aria-describedby={issueId}
    >
      <legend className="field-label">
        Password for {userName || 'you'}
        {required ? '' : ' (optional)'}
      </legend>
      {hash !== null ? (
        <div className="password-set">
          <p data-testid="password-set">
            A password is set. Only its hash is kept; the password itself is gone from here.
          </p>
          <button
            type="button"
            className="button button-secondary"
            ref={change}
            onClick={() => {
              refocus.current = true;
              onHash(null);
            }}
            data-testid="password-change"
          >
            Change the password
          </button>
        </div>
      ) : (
        <>
          <p className="field-help">
            For logging in at the console and for sudo. Nixstrap keeps only its hash.
          </p>
          <div className="form-grid">
            <label className="field">
              <span className="field-label">Password</span>
              <input
                type="password"
                autoComplete="new-password"
                ref={firstInput}
                value={first}
                onChange={(event) => setFirst(event.target.value)}
                onKeyDown={onEnter}
                aria-invalid={problems.length > 0}
                data-testid="password"
              />
            </label>
            <label className="field">
              <span className="field-label">The same password again</span>
              <input
                type="password"
                autoComplete="new-password"
                value={again}
                onChange={(event) => setAgain(event.target.value)}
                onKeyDown={onEnter}
                aria-invalid={mismatch}
                data-testid="password-again"
              />
            </label>
          </div>
          <button
            type="button"
            className="button button-secondary"
            disabled={!ready}
            onClick={() => void setPassword()}
            data-testid="password-set-button"
          >
            {busy ? 'Hashing…' : 'Set password'}
          </button>
        </>
      )}
      <IssueList id={issueId} issues={problems} testId="issue-passwordHash" />
    </fieldset>
  );
}
