import { type ClipboardEvent, type FormEvent, useId, useRef, useState } from 'react';
import { COMMON_SECRETS_FILE, type NixstrapError, type SetSecretResult } from '../../common';
import { shellCommand } from '../../common/shell-word';
import type { Bridge } from '../bridge';
import { NO_SECRET_DRAFT, type SecretDraft } from '../secret-draft';
import type { StoredSecrets } from '../stored-secrets';
import { CopyButton } from './CopyButton';
import { ErrorBanner } from './ErrorBanner';
import { isSecretName, SecretNameField } from './SecretNameField';

/** A host that may be given a secret of its own, and the file it would go in. */
export interface SecretHost {
  name: string;
  /** As the repo lays it out: `hosts/nixos/atlas/secrets.yaml`. */
  file: string;
}

interface StoreSecretProps {
  bridge: Bridge;
  repo: string;
  /** The hosts offered a secret of their own, the first chosen unless the draft says every host. */
  hosts: SecretHost[];
  /** The name and readers to start from (what the Secrets step chose). */
  draft: SecretDraft;
  /** What was stored here, said under the form; the caller keeps it so it outlives the card. */
  stored: StoredSecrets;
  /** Told once a secret is committed. */
  onStored: (result: SetSecretResult) => void;
}

/** The stored secret, said once it is committed: where it went and the Nix line that reads it. */
function Stored({ result }: { result: SetSecretResult }) {
  return (
    <li data-testid="stored-secret">
      <p>
        Stored <strong>{result.name}</strong> in <code className="wrap">{result.file}</code>
        {result.commit ? (
          <>
            {' '}
            and committed it as <code title={result.commit}>{result.commit.slice(0, 12)}</code>
          </>
        ) : (
          ', which already held that value'
        )}
        . Use it in the host’s configuration:
      </p>
      <div className="copyable">
        <pre className="code-block" data-testid="stored-nix-line">
          {result.nixLine}
        </pre>
        <CopyButton text={result.nixLine} what="the Nix line" />
      </div>
    </li>
  );
}

/**
 * Stores a secret's value in the written repo: the engine encrypts it for everyone the repo's
 * .sops.yaml names for that file and commits it. The value lives in this one input until the
 * engine has it, then the input is emptied: the page's saved state, the address and the ledger
 * never hold it.
 */
export function StoreSecret({ bridge, repo, hosts, draft, stored, onStored }: StoreSecretProps) {
  const id = useId();
  // The step's secret is offered until it is stored, not again each time the screen is opened.
  const offered = stored.some((s) => s.name === draft.name) ? NO_SECRET_DRAFT : draft;
  const [name, setName] = useState(offered.name);
  const [shared, setShared] = useState(offered.shared || hosts.length === 0);
  const [hostName, setHostName] = useState(hosts[0]?.name ?? '');
  const [value, setValue] = useState('');
  const [shown, setShown] = useState(false);
  // A one-line input drops the line breaks of what is pasted into it (HTML strips them), which
  // would store a key file broken without a word; several lines get a text area instead.
  const [multiline, setMultiline] = useState(false);
  const [pastedLines, setPastedLines] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<NixstrapError | null>(null);
  const named = isSecretName(name);
  const ready = !busy && named && value !== '';

  async function store(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    const target = shared ? { common: true } : { host: hostName };
    const result = await bridge.setSecret({ repo, name, value, ...target });
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setValue('');
    setName('');
    setShown(false);
    setMultiline(false);
    setPastedLines(false);
    onStored(result.value);
  }

  /** Lines pasted into the one-line input move, whole, to a text area in its place. */
  function pasteLines(event: ClipboardEvent<HTMLInputElement>) {
    const text = event.clipboardData.getData('text/plain');
    if (!/[\r\n]/.test(text.replace(/\r?\n$/, ''))) return;
    event.preventDefault();
    const input = event.currentTarget;
    const start = input.selectionStart ?? value.length;
    const end = input.selectionEnd ?? value.length;
    setValue(value.slice(0, start) + text + value.slice(end));
    setMultiline(true);
    setPastedLines(true);
    requestAnimationFrame(() => area.current?.focus());
  }

  const valueProps = {
    id: `${id}-value`,
    value,
    spellCheck: false,
    autoComplete: 'off',
    autoCapitalize: 'off',
    'aria-describedby': `${id}-value-hint`,
    'data-testid': 'store-secret-value',
  };

  return (
    <article className="card" aria-labelledby={`${id}-title`} data-testid="store-secret">
      <h2 id={`${id}-title`}>Store a secret</h2>
      <p>
        A Wi-Fi passphrase, a token: Nixstrap encrypts it for the hosts that read it and for your
        age key, and commits it. The value never goes into git in the clear, nor into Nixstrap’s
        records.
      </p>
      <form className="secrets-stack" onSubmit={(event) => void store(event)}>
        <SecretNameField label="Name" value={name} onChange={setName} testId="store-secret-name" />
        <div className="checks" role="radiogroup" aria-label="Which hosts can read it">
          {hosts.map((host) => (
            <label className="check" key={host.name}>
              <input
                type="radio"
                name={`${id}-target`}
                checked={!shared && hostName === host.name}
                onChange={() => {
                  setShared(false);
                  setHostName(host.name);
                }}
                data-testid="store-secret-host"
              />
              Only host {host.name} ({host.file})
            </label>
          ))}
          <label className="check">
            <input
              type="radio"
              name={`${id}-target`}
              checked={shared}
              onChange={() => setShared(true)}
              data-testid="store-secret-shared"
            />
            Every host ({COMMON_SECRETS_FILE})
          </label>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-value`}>
            Value
          </label>
          <div className={multiline ? 'area-with-buttons' : 'input-with-button'}>
            {multiline ? (
              <textarea
                {...valueProps}
                ref={area}
                rows={6}
                wrap="off"
                className={shown ? undefined : 'masked'}
                onChange={(event) => setValue(event.target.value)}
              />
            ) : (
              <input
                {...valueProps}
                type={shown ? 'text' : 'password'}
                onChange={(event) => setValue(event.target.value)}
                onPaste={pasteLines}
              />
            )}
            <button
              type="button"
              className="button button-secondary"
              aria-pressed={shown}
              onClick={() => setShown(!shown)}
            >
              {shown ? 'Hide' : 'Show'}
            </button>
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={multiline}
              // Back to one line would drop the breaks the value now holds.
              disabled={multiline && /[\r\n]/.test(value)}
              onChange={(event) => {
                setMultiline(event.target.checked);
                setPastedLines(false);
              }}
              data-testid="store-secret-multiline"
            />
            Several lines (a private key, a certificate)
          </label>
          <p className="field-help" id={`${id}-value-hint`}>
            {pastedLines ? (
              <span data-testid="store-secret-pasted-lines">
                What you pasted has several lines, so the value keeps them all.{' '}
              </span>
            ) : null}
            {multiline ? 'Stored exactly as written here, line breaks included. ' : 'One line. '}A
            value already in a file goes in from a terminal, byte for byte:{' '}
            <code className="wrap" data-testid="store-secret-file-command">
              {`${shellCommand([
                'nixstrap',
                'secrets',
                'set',
                named ? name : 'NAME',
                ...(shared ? ['--common'] : ['--host', hostName]),
                '--repo',
                repo,
              ])} < FILE`}
            </code>
          </p>
        </div>
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={!ready}
            data-testid="store-secret-submit"
          >
            {busy ? 'Encrypting and committing…' : 'Encrypt and commit'}
          </button>
        </div>
      </form>
      {error && <ErrorBanner error={error} />}
      {stored.length > 0 && (
        <ul className="stored-secrets" role="status" data-testid="stored-secrets">
          {stored.map((result) => (
            <Stored key={`${result.file}:${result.name}`} result={result} />
          ))}
        </ul>
      )}
    </article>
  );
}
