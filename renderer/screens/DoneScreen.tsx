import {
  type ApplyResult,
  PLAN_WARNINGS_HEADING,
  type SetSecretResult,
  updatesExistingHost,
} from '../../common';
import { noticesAfterWrite } from '../../common/detached-head';
import type { Bridge } from '../bridge';
import { Banner } from '../components/Banner';
import { CopyButton } from '../components/CopyButton';
import { Screen } from '../components/Screen';
import { Sentence, SentenceList } from '../components/Sentence';
import { StepActions } from '../components/StepActions';
import { StoreSecret } from '../components/StoreSecret';
import type { SecretDraft } from '../secret-draft';
import type { StoredSecrets } from '../stored-secrets';

interface DoneScreenProps {
  bridge: Bridge;
  result: ApplyResult;
  /** The secret the Secrets step named, offered first. */
  secretDraft: SecretDraft;
  /** The secrets stored here since the write. */
  storedSecrets: StoredSecrets;
  onSecretStored: (result: SetSecretResult) => void;
  onBack: () => void;
  /** Goes on to Build and switch. */
  onBuild: () => void;
}

/** The steps to take, in order: the plan's own by-hand steps first, then the switch. */
function NextSteps({ result }: { result: ApplyResult }) {
  const { nextCommand, steps, repo } = result.plan;
  // What the plan said must come before the first rebuild (a host key to install) stays in view.
  const before = steps.map((step) => (
    <li key={step}>
      <Sentence text={step} />
    </li>
  ));
  if (nextCommand) {
    return (
      <ol className="next-steps" data-testid="next-steps">
        {before}
        <li>
          {before.length ? 'Then choose' : 'Choose'} <strong>Build and switch</strong> below:
          Nixstrap builds the new configuration, shows what will change and asks before it switches.
        </li>
        <li>
          Or run it yourself in a terminal on this machine; it asks for your password:
          <div className="copyable">
            <code className="wrap" data-testid="next-command">
              {nextCommand}
            </code>
            <CopyButton text={nextCommand} what="the command" testId="copy-command" />
          </div>
        </li>
        <li>
          Later, change the files in <code className="wrap">{repo}</code>, commit, and build and
          switch again. Every switch stays in the boot menu, so you can go back to this one.
        </li>
      </ol>
    );
  }
  return (
    <ol className="next-steps" data-testid="next-steps">
      {before}
      <li>
        Then build and switch to the configuration in <code className="wrap">{repo}</code>.
      </li>
    </ol>
  );
}

/** What the plan said to know, apart from the steps and quieter: nothing here asks for action. */
function GoodToKnow({ warnings }: { warnings: readonly string[] }) {
  if (!warnings.length) return null;
  return (
    <section
      className="good-to-know"
      aria-labelledby="good-to-know-title"
      data-testid="good-to-know"
    >
      <h3 id="good-to-know-title">{PLAN_WARNINGS_HEADING}</h3>
      <SentenceList items={warnings} />
    </section>
  );
}

/** After "Write and commit": where the repo is, the commit, and what to do next, in words. */
/** Whether the written repo keeps secrets with sops: its .sops.yaml is among the plan's files. */
const keepsSecrets = (result: ApplyResult) =>
  result.plan.files.some((file) => file.path === '.sops.yaml');

export function DoneScreen({
  bridge,
  result,
  secretDraft,
  storedSecrets,
  onSecretStored,
  onBack,
  onBuild,
}: DoneScreenProps) {
  const { plan, commit, written, backup } = result;
  const files = `${written.length} ${written.length === 1 ? 'file' : 'files'}`;
  const them = written.length === 1 ? 'it' : 'them';

  return (
    <Screen
      title={commit ? 'Written and committed' : 'Already up to date'}
      intro={
        <p className="lead">
          {commit
            ? updatesExistingHost(plan)
              ? `Nixstrap updated host ${plan.hostName}, already in the repo: it wrote ${files} and committed ${them}.`
              : `Nixstrap wrote ${files} for host ${plan.hostName} and committed ${them}.`
            : `The repo already held everything for host ${plan.hostName}; there was nothing to commit.`}
        </p>
      }
      testId="done"
    >
      <article className="card" aria-labelledby="where-title">
        <h2 id="where-title">Where it is</h2>
        <dl className="done-facts">
          <div>
            <dt>Repository</dt>
            <dd className="copyable">
              <code className="wrap" data-testid="repo-location">
                {plan.repo}
              </code>
              <CopyButton text={plan.repo} what="the repository path" testId="copy-repo" />
            </dd>
          </div>
          {commit && (
            <div>
              <dt>Commit</dt>
              <dd>
                <code className="wrap" data-testid="commit-id">
                  {commit}
                </code>
              </dd>
            </div>
          )}
          <div>
            <dt>This host</dt>
            <dd>
              <code className="wrap">{plan.hostDir}</code>
            </dd>
          </div>
        </dl>
        {result.unrecorded && (
          <Banner tone="warning" title="Answers not kept" testId="unrecorded">
            <Sentence text={result.unrecorded} />
          </Banner>
        )}
        {backup && (
          <p data-testid="backup">
            Your own versions of {backup.files.join(', ')} are kept in git, in commit{' '}
            <code>{backup.commit.slice(0, 12)}</code> on <code className="wrap">{backup.ref}</code>.
          </p>
        )}
        {written.length > 0 && (
          <details className="disclosure">
            <summary>Files written ({written.length})</summary>
            <ul className="written-files">
              {written.map((file) => (
                <li key={file}>
                  <code className="wrap">{file}</code>
                </li>
              ))}
            </ul>
          </details>
        )}
      </article>

      <article className="card" aria-labelledby="next-title">
        <h2 id="next-title">What to do next</h2>
        {plan.nextCommand === null && plan.steps.length > 0 && (
          <Banner tone="info" title="A few steps come before the first rebuild">
            <p>The configuration is ready; these steps bring this machine to it.</p>
          </Banner>
        )}
        <NextSteps result={result} />
        <GoodToKnow warnings={noticesAfterWrite(result)} />
      </article>

      {keepsSecrets(result) && (
        <StoreSecret
          bridge={bridge}
          repo={plan.repo}
          hosts={[{ name: plan.hostName, file: `${plan.hostDir}/secrets.yaml` }]}
          draft={secretDraft}
          stored={storedSecrets}
          onStored={onSecretStored}
        />
      )}

      <StepActions
        onBack={onBack}
        backLabel="Back to the plan"
        nextLabel="Build and switch"
        onNext={onBuild}
        nextTestId="go-rebuild"
      />
    </Screen>
  );
}
