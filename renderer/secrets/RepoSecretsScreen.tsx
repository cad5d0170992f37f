import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import {
  COMMON_SECRETS_FILE,
  type Host,
  missingReaders,
  type NamedRecipient,
  type NixstrapError,
  type RemoveSecretResult,
  type RotateResult,
  type SecretsFile,
  type SecretsReport,
  type SetSecretResult,
} from '../../common';
import type { Bridge } from '../bridge';
import { Banner } from '../components/Banner';
import { ErrorBanner } from '../components/ErrorBanner';
import { Screen } from '../components/Screen';
import { Sentence } from '../components/Sentence';
import { Spinner } from '../components/Spinner';
import { StoreSecret } from '../components/StoreSecret';
import { NO_SECRET_DRAFT } from '../secret-draft';
import { type StoredSecrets, withStored } from '../stored-secrets';
import { RemoveSecretDialog } from './RemoveSecretDialog';

interface RepoSecretsProps {
  bridge: Bridge;
  /** The config repo the wizard knows; the field starts from it and tells it a new one. */
  repo: string;
  onRepoChange: (repo: string) => void;
}

interface Opened {
  report: SecretsReport;
  hosts: Host[];
}

/** A host's own secrets file, in its folder, as the engine writes it. */
const hostSecretsFile = (host: Host) => `${host.path === '.' ? '' : `${host.path}/`}secrets.yaml`;

/** A reader by the name .sops.yaml gives it, else its public key. */
function who(reader: NamedRecipient): string {
  return reader.name ?? reader.recipient;
}

/** A secret chosen for removal: its name, its file, and who it is for. */
interface Removal {
  name: string;
  file: string;
  target: { host: string } | { common: true };
  opener: HTMLElement;
}

function SecretsFileView({
  file,
  target,
  onRemove,
}: {
  file: SecretsFile;
  /** Whose file it is, for a removal; null for a SOPS file no host or the shared rule names. */
  target: Removal['target'] | null;
  onRemove: (removal: Removal) => void;
}) {
  const absent = missingReaders(file);
  return (
    <li className="secrets-file" data-testid="secrets-file" data-path={file.path}>
      <h3>
        <code className="wrap">{file.path}</code>
      </h3>
      {file.problem ? (
        <p role="alert">
          Cannot be read: <Sentence text={file.problem} />
        </p>
      ) : (
        <>
          <p data-testid="secrets-file-names">
            {file.names.length === 0
              ? 'No values yet.'
              : `${file.values} ${file.values === 1 ? 'value' : 'values'}${target ? '' : `: ${file.names.join(', ')}`}`}
          </p>
          {target && file.names.length > 0 && (
            <ul className="secret-names" aria-label={`Secrets in ${file.path}`}>
              {file.names.map((name) => (
                <li key={name} data-testid="secret-name-item">
                  <code>{name}</code>
                  <button
                    type="button"
                    className="button button-ghost button-small"
                    aria-label={`Remove ${name} from ${file.path}`}
                    onClick={(event) =>
                      onRemove({ name, file: file.path, target, opener: event.currentTarget })
                    }
                    data-testid="remove-secret"
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <p className="muted">Readable by {file.recipients.map(who).join(', ') || 'nobody'}.</p>
          {file.wanted === null && <p className="muted">No rule in .sops.yaml covers this file.</p>}
          {absent.length > 0 && (
            <p data-testid="secrets-file-missing">
              Not yet readable by {absent.map(who).join(', ')}, whom .sops.yaml names: on a machine
              with a key that opens it, run{' '}
              <code className="wrap">sops updatekeys -y {file.path}</code>.
            </p>
          )}
        </>
      )}
    </li>
  );
}

/**
 * The secrets of a config repo, beside the wizard: each SOPS file with its secret names and
 * readers (never a value), a secret stored, and every data key replaced. For a repo written long
 * ago as much as for the one just written.
 */
export function RepoSecretsScreen({ bridge, repo, onRepoChange }: RepoSecretsProps) {
  const id = useId();
  const [field, setField] = useState(repo);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<NixstrapError | null>(null);
  const [rotating, setRotating] = useState(false);
  const [rotated, setRotated] = useState<RotateResult | null>(null);
  const [removal, setRemoval] = useState<Removal | null>(null);
  const [removing, setRemoving] = useState(false);
  const [removed, setRemoved] = useState<RemoveSecretResult | null>(null);
  const [stored, setStored] = useState<StoredSecrets>([]);

  const open = useCallback(
    async (path: string) => {
      setBusy(true);
      setError(null);
      const [report, hosts] = await Promise.all([
        bridge.listSecrets({ repo: path }),
        bridge.listHosts({ repo: path }),
      ]);
      setBusy(false);
      if (!report.ok) {
        setOpened(null);
        setError(report.error);
        return;
      }
      setOpened({ report: report.value, hosts: hosts.ok ? hosts.value : [] });
    },
    [bridge],
  );

  // The repo the wizard knows opens at once; one typed here opens on "Open".
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on arrival
  useEffect(() => {
    if (repo.trim() !== '') void open(repo);
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    const path = field.trim();
    if (path === '') return;
    onRepoChange(path);
    setRotated(null);
    setStored([]);
    setOpened(null);
    void open(path);
  }

  async function rotate() {
    if (!opened) return;
    setRotating(true);
    setError(null);
    const result = await bridge.rotateSecrets({ repo: opened.report.repo });
    setRotating(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setRotated(result.value);
    void open(opened.report.repo);
  }

  async function remove() {
    if (!opened || !removal) return;
    setRemoving(true);
    setError(null);
    const { name, target } = removal;
    const result = await bridge.removeSecret({ repo: opened.report.repo, name, ...target });
    setRemoving(false);
    setRemoval(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setRemoved(result.value);
    // "Stored" below the form would now say what is no longer so.
    const gone = result.value;
    setStored((before) => before.filter((s) => s.name !== gone.name || s.file !== gone.file));
    void open(opened.report.repo);
  }

  /** Whose a file is: the shared one, or the host whose folder holds it. */
  const targetOf = (file: SecretsFile): Removal['target'] | null => {
    if (file.path === COMMON_SECRETS_FILE) return { common: true };
    const host = opened?.hosts.find((h) => hostSecretsFile(h) === file.path);
    return host ? { host: host.name } : null;
  };

  const report = opened?.report;
  return (
    <Screen
      title="Secrets"
      intro={
        <p className="lead">
          The encrypted files of a config repo, who can read each, and a new secret stored. Values
          are never shown.
        </p>
      }
      testId="repo-secrets"
    >
      <article className="card">
        <form className="repo-open" onSubmit={submit}>
          <label className="field-label" htmlFor={`${id}-repo`}>
            Config repo
          </label>
          <div className="input-with-button">
            <input
              id={`${id}-repo`}
              value={field}
              spellCheck={false}
              autoComplete="off"
              onChange={(event) => setField(event.target.value)}
              data-testid="secrets-repo"
            />
            <button
              type="submit"
              className="button button-secondary"
              disabled={busy || field.trim() === ''}
              data-testid="secrets-open"
            >
              Open
            </button>
          </div>
        </form>
      </article>
      {busy && !opened && <Spinner label="Reading the repo's secrets…" />}
      {error && <ErrorBanner error={error} />}
      {report && (
        <>
          <article className="card" aria-labelledby={`${id}-key`}>
            <h2 id={`${id}-key`}>Your age key</h2>
            {report.owner.problem ? (
              <p role="alert" data-testid="secrets-owner">
                <Sentence text={report.owner.problem} /> A secret can still go into a new file;
                changing a file that exists needs a key that opens it.
              </p>
            ) : report.owner.recipient ? (
              <p data-testid="secrets-owner">
                <code className="wrap">{report.owner.path}</code>, public key{' '}
                <code className="wrap">{report.owner.recipient}</code>.
              </p>
            ) : (
              <p data-testid="secrets-owner">
                None on this machine (looked at <code className="wrap">{report.owner.path}</code>):
                a secret can go into a new file, but changing a file that exists needs the key that
                opens it.
              </p>
            )}
          </article>
          <article className="card" aria-labelledby={`${id}-files`}>
            <h2 id={`${id}-files`}>Encrypted files</h2>
            {report.files.length === 0 ? (
              <p data-testid="secrets-none">
                No SOPS files in <code className="wrap">{report.repo}</code> yet.
              </p>
            ) : (
              <ul className="secrets-files">
                {report.files.map((file) => (
                  <SecretsFileView
                    key={file.path}
                    file={file}
                    target={targetOf(file)}
                    onRemove={(chosen) => {
                      setRemoved(null);
                      setRemoval(chosen);
                    }}
                  />
                ))}
              </ul>
            )}
            {removed && (
              <Banner
                tone="success"
                role="status"
                title={`Removed ${removed.name}`}
                focusKey={removed}
              >
                <p data-testid="secret-removed">
                  Removed from {removed.file}
                  {removed.commit ? `, committed as ${removed.commit.slice(0, 12)}` : ''}. Earlier
                  commits still hold its value, encrypted.
                </p>
                {removed.stillUsedIn.length > 0 && (
                  <p data-testid="secret-still-used">
                    Still named in {removed.stillUsedIn.join(', ')}: take those lines out too, or
                    that host's next switch fails (sops-nix finds no {removed.name} in its file).
                  </p>
                )}
              </Banner>
            )}
            {report.files.length > 0 && (
              <div className="secrets-rotate">
                <p>
                  New data keys for every file, as <code>sops rotate</code> does: after a key leaked
                  or a host left. The values stay; each host reads them after its next switch.
                </p>
                <button
                  type="button"
                  className="button button-secondary"
                  disabled={rotating}
                  onClick={() => void rotate()}
                  data-testid="secrets-rotate"
                >
                  {rotating ? 'Replacing the data keys…' : 'Replace the data keys'}
                </button>
                {rotated && (
                  <Banner tone="success" role="status" title="Data keys replaced">
                    <p data-testid="secrets-rotated">
                      New data keys for {rotated.files.join(', ')}
                      {rotated.commit ? `, committed as ${rotated.commit.slice(0, 12)}` : ''}.
                      Switch each host so it reads the re-encrypted files.
                    </p>
                  </Banner>
                )}
              </div>
            )}
          </article>
          <StoreSecret
            key={report.repo}
            bridge={bridge}
            repo={report.repo}
            hosts={(opened?.hosts ?? []).map((host) => ({
              name: host.name,
              file: hostSecretsFile(host),
            }))}
            draft={NO_SECRET_DRAFT}
            stored={stored}
            onStored={(result: SetSecretResult) => {
              setStored((before) => withStored(before, result));
              void open(report.repo);
            }}
          />
        </>
      )}
      {removal && (
        <RemoveSecretDialog
          name={removal.name}
          file={removal.file}
          busy={removing}
          opener={removal.opener}
          onCancel={() => setRemoval(null)}
          onConfirm={() => void remove()}
        />
      )}
    </Screen>
  );
}
