import { useCallback, useEffect, useState } from 'react';
import { type Answers, type NixstrapError, type SecretKeys, secretNixLine } from '../../common';
import { shellTypedPath } from '../../common/shell-word';
import { Checkbox } from '../components/Checkbox';
import { ErrorBanner } from '../components/ErrorBanner';
import { Screen } from '../components/Screen';
import { isSecretName, SecretNameField } from '../components/SecretNameField';
import { Spinner } from '../components/Spinner';
import { StepActions } from '../components/StepActions';
import type { SecretDraft } from '../secret-draft';
import type { StepProps } from './step-props';

interface SecretsScreenProps extends StepProps {
  onChange: (answers: Answers) => void;
  onContinue: () => void;
  /** The secret named here, offered again once the repo is written. */
  secretDraft: SecretDraft;
  onSecretDraft: (draft: SecretDraft) => void;
}

function OwnerKey({
  keys,
  onCreate,
  busy,
}: {
  keys: SecretKeys;
  onCreate: () => void;
  busy: boolean;
}) {
  const { owner } = keys;
  if (owner.recipient === null) {
    return (
      <div className="secrets-stack" data-testid="owner-key" data-state="missing">
        <p>
          You have no age key yet. Nixstrap makes one at <code className="wrap">{owner.path}</code>,
          where sops looks for it, when you write a new repo, or now:
        </p>
        <div className="actions actions-start">
          <button
            type="button"
            className="button button-secondary"
            onClick={onCreate}
            disabled={busy}
            data-testid="create-owner-key"
          >
            Create my key now
          </button>
        </div>
        <p className="muted">
          Adding this machine to a repo someone else set up? Leave this: that repo already has its
          owner, and your key is not needed here.
        </p>
      </div>
    );
  }
  return (
    <div
      className="secrets-stack"
      data-testid="owner-key"
      data-state={owner.created ? 'created' : 'found'}
    >
      <p>
        {owner.created ? 'Created your age key at ' : 'Found your age key at '}
        <code className="wrap">{owner.path}</code>. Its public key:
      </p>
      <p>
        <code className="wrap" data-testid="owner-recipient">
          {owner.recipient}
        </code>
      </p>
      <p className="key-note" data-testid="backup-note">
        <strong>Back it up now</strong>, in a password manager or on an offline copy: without it
        nobody can change these secrets. It stays on this machine and never goes into the repo.
      </p>
    </div>
  );
}

function HostKey({ keys, hostName }: { keys: SecretKeys; hostName: string }) {
  const { host } = keys;
  if (host.source === 'ssh-host-key') {
    return (
      <p data-testid="host-key" data-source="ssh-host-key">
        Host <strong>{hostName}</strong> reads its secrets with its SSH host key, as an age key:{' '}
        <code className="wrap" data-testid="host-recipient">
          {host.recipient}
        </code>
      </p>
    );
  }
  return (
    <p data-testid="host-key" data-source="age-key">
      This machine has no SSH host key, so host <strong>{hostName}</strong> gets an age key of its
      own
      {host.recipient ? (
        <>
          {' '}
          (
          <code className="wrap" data-testid="host-recipient">
            {host.recipient}
          </code>
          )
        </>
      ) : null}
      , kept at <code className="wrap">{host.path}</code> until you install it on the host before
      its first switch; the plan shows the command.
    </p>
  );
}

function AddSecret({
  answers,
  repo,
  draft,
  onDraft,
}: {
  answers: Answers;
  repo: string;
  draft: SecretDraft;
  onDraft: (draft: SecretDraft) => void;
}) {
  const { name, shared } = draft;
  const setName = (next: string) => onDraft({ name: next, shared });
  const setShared = (next: boolean) => onDraft({ name, shared: next });
  const target = shared ? '--common' : `--host ${answers.hostName}`;
  return (
    <div className="add-secret secrets-stack" data-testid="add-secret">
      <SecretNameField
        label="Add a secret: its name"
        value={name}
        onChange={setName}
        testId="secret-name"
      />
      <div className="checks" role="radiogroup" aria-label="Which hosts can read it">
        <label className="check">
          <input
            type="radio"
            name="secret-target"
            checked={!shared}
            onChange={() => setShared(false)}
          />
          Only this host
        </label>
        <label className="check">
          <input
            type="radio"
            name="secret-target"
            checked={shared}
            onChange={() => setShared(true)}
            data-testid="secret-shared"
          />
          Every host (secrets/common.yaml)
        </label>
      </div>
      {isSecretName(name) && (
        <div className="secrets-stack" data-testid="secret-howto">
          <p>
            Once the repo is written, store its value there, under <em>Store a secret</em>, or from
            a terminal (it is read from standard input, never from the command line):
          </p>
          <pre className="code-block" data-testid="secret-command">
            {`nixstrap secrets set ${name} ${target} --repo ${shellTypedPath(repo)}`}
          </pre>
          <p>Then use it in the host’s configuration:</p>
          <pre className="code-block" data-testid="secret-nix-line">
            {secretNixLine(name, shared)}
          </pre>
        </div>
      )}
    </div>
  );
}

/** Step 3: sops-nix on or off, the keys it uses, and how to add a secret. Never a value. */
export function SecretsScreen({
  bridge,
  facts,
  answers,
  repo,
  onChange,
  onBack,
  onContinue,
  secretDraft,
  onSecretDraft,
}: SecretsScreenProps) {
  const [keys, setKeys] = useState<SecretKeys | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<NixstrapError | null>(null);
  const load = useCallback(
    async (create: boolean) => {
      setBusy(true);
      setError(null);
      const result = await bridge.secretKeys({ hostName: answers.hostName, facts, create });
      setBusy(false);
      if (result.ok) setKeys(result.value);
      else setError(result.error);
    },
    [bridge, answers.hostName, facts],
  );

  useEffect(() => {
    if (answers.secrets) void load(false);
  }, [answers.secrets, load]);

  return (
    <Screen
      title="Secrets"
      intro={
        <p className="lead">
          Passwords, Wi-Fi keys and tokens live encrypted in the repo with sops, one key per host,
          and sops-nix decrypts them when the machine switches. Nothing secret goes into git in the
          clear.
        </p>
      }
    >
      <div className="card form-section secrets-card">
        <Checkbox
          checked={answers.secrets}
          onChange={(secrets) => onChange({ ...answers, secrets })}
          testId="secrets-enabled"
        >
          Set up encrypted secrets (sops-nix) <span className="muted">— recommended</span>
        </Checkbox>
        {!answers.secrets && (
          <p className="muted" data-testid="secrets-off">
            No .sops.yaml, no secrets files and no sops-nix input will be written
            {answers.passwordHash
              ? '; your password hash goes into the host’s file in the clear'
              : ''}
            .
          </p>
        )}
      </div>

      {error && <ErrorBanner error={error} />}
      {answers.secrets && busy && !keys && <Spinner label="Looking for your age key…" />}
      {answers.secrets && keys && (
        <>
          <article className="card form-section secrets-card" aria-labelledby="keys-title">
            <h2 id="keys-title">Keys</h2>
            <OwnerKey keys={keys} onCreate={() => void load(true)} busy={busy} />
            <HostKey keys={keys} hostName={answers.hostName} />
            {answers.passwordHash && (
              <p data-testid="password-secret">
                Your password hash is the first secret: it goes into the host’s secrets.yaml,
                encrypted for you and this host only.
              </p>
            )}
          </article>
          <article className="card form-section secrets-card" aria-labelledby="add-title">
            <h2 id="add-title">Your own secrets</h2>
            <AddSecret answers={answers} repo={repo} draft={secretDraft} onDraft={onSecretDraft} />
          </article>
        </>
      )}

      <StepActions
        onBack={onBack}
        nextLabel="Continue"
        onNext={onContinue}
        nextTestId="secrets-continue"
      />
    </Screen>
  );
}
