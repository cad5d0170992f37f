import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import {
  type Host,
  missingReaders,
  type NamedRecipient,
  type NixstrapError,
  type RotateResult,
  type SecretsFile,
  type SecretsReport,
} from '../../common';
import type { Bridge } from '../bridge';
import { Banner } from '../components/Banner';
import { ErrorBanner } from '../components/ErrorBanner';
import { Screen } from '../components/Screen';
import { Sentence } from '../components/Sentence';
import { Spinner } from '../components/Spinner';
import { StoreSecret } from '../components/StoreSecret';
import { NO_SECRET_DRAFT } from '../secret-draft';

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

/** A reader by the name .sops.yaml gives it, else its public key. */
function who(reader: NamedRecipient): string {
  return reader.name ?? reader.recipient;
}

function SecretsFileView({ file }: { file: SecretsFile }) {
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
            {file.names.length > 0
              ? `${file.values} ${file.values === 1 ? 'value' : 'values'}: ${file.names.join(', ')}`
              : 'No values yet.'}
          </p>
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
          <div className="secret-value">
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
                  <SecretsFileView key={file.path} file={file} />
                ))}
              </ul>
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
              file: `${host.path === '.' ? '' : `${host.path}/`}secrets.yaml`,
            }))}
            draft={NO_SECRET_DRAFT}
            onStored={() => void open(report.repo)}
          />
        </>
      )}
    </Screen>
  );
}
