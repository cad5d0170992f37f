import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import {
  type AnswerChoices,
  type AnswerIssue,
  type Answers,
  EDITORS,
  type Facts,
  type NixstrapError,
  PROFILES,
  type RELEASE_NAMES,
  SHELLS,
  TOOLCHAINS,
} from '../../common';
import { HOST_NAME_HELP } from '../../common/host-name';
import { DESKTOP_NAMES, SERVICE_NAMES } from '../../common/labels';
import { issuesByField, parseKeyLines } from '../answers-form';
import type { Bridge } from '../bridge';
import { Checkbox } from '../components/Checkbox';
import { CheckGroup } from '../components/CheckGroup';
import { EnumSelect } from '../components/EnumSelect';
import { ErrorBanner } from '../components/ErrorBanner';
import { ChoiceGroup, Field, TextField, type TextFieldProps } from '../components/Field';
import { OptionCards } from '../components/OptionCards';
import { PasswordField } from '../components/PasswordField';
import { Screen } from '../components/Screen';
import { Spinner } from '../components/Spinner';

interface AnswersScreenProps {
  bridge: Bridge;
  facts: Facts;
  answers: Answers | null;
  onChange: (answers: Answers) => void;
  onBack: () => void;
  onContinue: () => void;
}

const PROFILE_TEXT: Record<(typeof PROFILES)[number], string> = {
  minimal: 'The base system, SSH and an editor. Small and quick to build.',
  essential: 'Everyday command-line tools on top: git, curl, htop, ripgrep and friends.',
  development: 'Essential plus compilers, language toolchains and developer tools.',
  full: 'Everything, including desktop applications for daily use.',
};

const PROFILE_CARDS = PROFILES.map((profile) => ({
  id: profile,
  title: profile[0]?.toUpperCase() + profile.slice(1),
  text: PROFILE_TEXT[profile],
}));

const RELEASE_TEXT: Record<(typeof RELEASE_NAMES)[number], ReactNode> = {
  stable: (
    <>
      Stable release <span className="muted">— tested, a new one every six months</span>
    </>
  ),
  unstable: (
    <>
      Unstable <span className="muted">— the newest packages, rolling</span>
    </>
  ),
};

const TOOLCHAIN_TEXT: Record<(typeof TOOLCHAINS)[number], string> = {
  c: 'C / C++',
  rust: 'Rust',
  go: 'Go',
  python: 'Python',
  node: 'Node.js',
  java: 'Java',
  nix: 'Nix tooling',
};

const TIME_ZONES: string[] = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

const TITLE = 'About you and this machine';

/** The answers typed as one line of text, each a string field of Answers. */
type TextAnswer =
  | 'hostName'
  | 'timeZone'
  | 'locale'
  | 'keyboardLayout'
  | 'keyboardVariant'
  | 'userName'
  | 'fullName';

/** The answers picked from a schema enum with a select. */
type ChoiceAnswer = 'desktop' | 'shell' | 'editor';

/** The fields this form shows issues next to; any other issue is listed above the buttons. */
const FORM_FIELDS = new Set([
  'hostName',
  'timeZone',
  'locale',
  'keyboardLayout',
  'keyboardVariant',
  'desktop',
  'userName',
  'fullName',
  'git.name',
  'git.email',
  'shell',
  'editor',
  'sshAuthorizedKeys',
  'profile',
  'services',
  'toolchains',
  'channel',
  'passwordHash',
  'sshPasswordLogin',
]);

const LOCALES = [
  'en_US.UTF-8',
  'en_GB.UTF-8',
  'de_DE.UTF-8',
  'fr_FR.UTF-8',
  'es_ES.UTF-8',
  'nl_NL.UTF-8',
  'ja_JP.UTF-8',
];

/** Step 2: the Answers, prefilled from the machine, checked by the engine as the user types. */
export function AnswersScreen({
  bridge,
  facts,
  answers,
  onChange,
  onBack,
  onContinue,
}: AnswersScreenProps) {
  const [loadError, setLoadError] = useState<NixstrapError | null>(null);
  const [issues, setIssues] = useState<AnswerIssue[]>([]);
  const [checkedFor, setCheckedFor] = useState<Answers | null>(null);
  const [keysText, setKeysText] = useState(() => (answers?.sshAuthorizedKeys ?? []).join('\n'));
  const [choices, setChoices] = useState<AnswerChoices | null>(null);

  // What this machine takes is the engine's call: the form offers only that.
  useEffect(() => {
    let cancelled = false;
    void bridge.assessFacts({ facts }).then((result) => {
      if (cancelled) return;
      if (result.ok) setChoices(result.value.choices);
      else setLoadError(result.error);
    });
    return () => {
      cancelled = true;
    };
  }, [bridge, facts]);

  const loadDefaults = useCallback(async () => {
    setLoadError(null);
    const result = await bridge.defaultAnswers({ facts });
    if (result.ok) {
      setKeysText(result.value.sshAuthorizedKeys.join('\n'));
      onChange(result.value);
    } else {
      setLoadError(result.error);
    }
  }, [bridge, facts, onChange]);

  useEffect(() => {
    if (!answers) void loadDefaults();
  }, [answers, loadDefaults]);

  useEffect(() => {
    if (!answers) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await bridge.validateAnswers({ answers, facts });
      if (cancelled) return;
      if (result.ok) {
        setIssues(result.value.issues);
        setLoadError(null);
      } else {
        setLoadError(result.error);
      }
      setCheckedFor(answers);
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [answers, bridge, facts]);

  const keyLines = useMemo(() => parseKeyLines(keysText).lines, [keysText]);
  const byField = useMemo(() => issuesByField(issues, keyLines), [issues, keyLines]);
  const issuesOf = (field: string) => byField.get(field) ?? [];
  const unplaced = [...byField].filter(([field]) => !FORM_FIELDS.has(field));

  if (!answers || !choices) {
    return (
      <Screen title={TITLE}>
        {loadError ? (
          <ErrorBanner error={loadError} onRetry={() => void loadDefaults()} />
        ) : (
          <Spinner label="Preparing suggestions…" />
        )}
        <div className="actions actions-start">
          <button type="button" className="button button-secondary" onClick={onBack}>
            Back
          </button>
        </div>
      </Screen>
    );
  }

  const set = <K extends keyof Answers>(key: K, value: Answers[K]) =>
    onChange({ ...answers, [key]: value });
  const upToDate = checkedFor === answers;
  const problemCount = issues.length;
  const text = (
    key: TextAnswer,
    label: string,
    extra: Partial<Pick<TextFieldProps, 'help' | 'plain' | 'suggestions' | 'autoComplete'>> = {},
  ) => (
    <TextField
      label={label}
      name={key}
      issues={issuesOf(key)}
      value={answers[key]}
      onChange={(value) => set(key, value)}
      {...extra}
    />
  );

  const gitText = (key: 'name' | 'email', label: string, autoComplete: string) => (
    <TextField
      label={label}
      name={`git.${key}`}
      issues={issuesOf(`git.${key}`)}
      value={answers.git[key]}
      onChange={(value) => set('git', { ...answers.git, [key]: value })}
      type={key === 'email' ? 'email' : 'text'}
      autoComplete={autoComplete}
    />
  );
  const choice = <K extends ChoiceAnswer>(
    key: K,
    label: string,
    options: readonly Answers[K][],
    labels?: Readonly<Record<Answers[K], string>>,
  ) => (
    <Field label={label} name={key} issues={issuesOf(key)}>
      {(control) => (
        <EnumSelect
          {...control}
          options={options}
          labels={labels}
          value={answers[key]}
          onChange={(value) => set(key, value)}
        />
      )}
    </Field>
  );

  return (
    <Screen
      title={TITLE}
      intro={
        <p className="lead">
          Suggestions come from what Nixstrap found. Change anything; every field is checked as you
          type.
        </p>
      }
    >
      {loadError && <ErrorBanner error={loadError} />}
      <form
        className="answers-form"
        data-testid="answers-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (upToDate && problemCount === 0) onContinue();
        }}
        noValidate
      >
        <fieldset className="card form-section">
          <legend>This machine</legend>
          <div className="form-grid">
            {text('hostName', 'Host name', {
              help: HOST_NAME_HELP,
              plain: true,
            })}
            {text('timeZone', 'Time zone', { suggestions: TIME_ZONES, plain: true })}
            {choices.locale &&
              text('locale', 'Language and formats', { suggestions: LOCALES, plain: true })}
            {choices.keyboard &&
              text('keyboardLayout', 'Keyboard layout', {
                suggestions: Object.keys(choices.keyboardLayouts),
                plain: true,
              })}
            {choices.keyboard &&
              text('keyboardVariant', 'Keyboard variant', {
                help: 'Optional, e.g. dvorak or nodeadkeys.',
                plain: true,
              })}
            {choices.desktops.length > 1 &&
              choice('desktop', 'Desktop', choices.desktops, DESKTOP_NAMES)}
          </div>
        </fieldset>

        <fieldset className="card form-section">
          <legend>You</legend>
          <div className="form-grid">
            {text('userName', 'User name', { help: 'Your login name.', plain: true })}
            {text('fullName', 'Full name', { autoComplete: 'name' })}
            {gitText('name', 'Name for git commits', 'name')}
            {gitText('email', 'Email for git commits', 'email')}
            {choice('shell', 'Shell', SHELLS)}
            {choice('editor', 'Editor', EDITORS)}
          </div>
          {choices.password !== 'unsupported' && (
            <PasswordField
              bridge={bridge}
              userName={answers.userName}
              hash={answers.passwordHash}
              required={choices.password === 'required'}
              issues={issuesOf('passwordHash')}
              onHash={(hash) => set('passwordHash', hash)}
            />
          )}
          <Field
            label="SSH public keys allowed to log in"
            name="sshAuthorizedKeys"
            issues={issuesOf('sshAuthorizedKeys')}
            help="One key per line, e.g. ssh-ed25519 AAAA… you@laptop. The same key twice counts once."
          >
            {(control) => (
              <textarea
                {...control}
                rows={3}
                value={keysText}
                spellCheck={false}
                onChange={(event) => {
                  setKeysText(event.target.value);
                  set('sshAuthorizedKeys', parseKeyLines(event.target.value).keys);
                }}
              />
            )}
          </Field>
          {choices.sshPasswordLogin && answers.services.includes('openssh') && (
            <ChoiceGroup
              legend="SSH login"
              name="sshPasswordLogin"
              issues={issuesOf('sshPasswordLogin')}
            >
              <label className="check">
                <input
                  type="checkbox"
                  checked={answers.sshPasswordLogin}
                  onChange={(event) => set('sshPasswordLogin', event.target.checked)}
                />
                <span>
                  Also accept the password over SSH{' '}
                  <span className="muted">— keys alone are safer</span>
                </span>
              </label>
            </ChoiceGroup>
          )}
        </fieldset>

        <fieldset className="card form-section">
          <legend>Software</legend>
          <ChoiceGroup legend="Package profile" name="profile" issues={issuesOf('profile')}>
            <OptionCards
              name="profile"
              options={PROFILE_CARDS}
              value={answers.profile}
              onChange={(profile) => set('profile', profile)}
            />
          </ChoiceGroup>
          <ChoiceGroup
            legend="Services"
            name="services"
            issues={issuesOf('services')}
            {...(choices.remoteOnly
              ? { help: `SSH is the way in here: ${choices.remoteOnly}.` }
              : {})}
          >
            <CheckGroup
              options={choices.services}
              labels={SERVICE_NAMES}
              values={answers.services}
              onChange={(services) => set('services', services)}
              testIdPrefix="service"
            />
          </ChoiceGroup>
          <ChoiceGroup
            legend="Language toolchains"
            name="toolchains"
            issues={issuesOf('toolchains')}
          >
            <CheckGroup
              options={TOOLCHAINS}
              labels={TOOLCHAIN_TEXT}
              values={answers.toolchains}
              onChange={(toolchains) => set('toolchains', toolchains)}
            />
          </ChoiceGroup>
          <ChoiceGroup
            legend="Software versions"
            name="channel"
            help="Where this machine's software and its updates come from (the nixpkgs channel)."
            issues={issuesOf('channel')}
          >
            <div className="checks">
              {choices.releases.map((release) => (
                <label key={release} className="check">
                  <input
                    type="radio"
                    name="channel"
                    checked={answers.channel === release}
                    onChange={() => set('channel', release)}
                  />
                  <span>{RELEASE_TEXT[release]}</span>
                </label>
              ))}
            </div>
          </ChoiceGroup>
          <Checkbox
            checked={answers.allowUnfree}
            onChange={(allowUnfree) => set('allowUnfree', allowUnfree)}
            testId="answer-allowUnfree"
          >
            Allow unfree software{' '}
            <span className="muted">— drivers that need it are allowed anyway</span>
          </Checkbox>
        </fieldset>

        {unplaced.length > 0 && (
          <ul className="field-error-list" data-testid="issue-other">
            {unplaced.flatMap(([field, messages]) =>
              messages.map((message) => (
                <li key={`${field}:${message}`}>{`${field}: ${message}`}</li>
              )),
            )}
          </ul>
        )}
        <div className="actions actions-spread">
          <button type="button" className="button button-secondary" onClick={onBack}>
            Back
          </button>
          <div className="actions-group">
            <span className="form-status" aria-live="polite" data-testid="answers-status">
              {!upToDate
                ? 'Checking…'
                : problemCount === 0
                  ? 'All answers look good.'
                  : `${problemCount} ${problemCount === 1 ? 'answer needs' : 'answers need'} attention.`}
            </span>
            <button
              type="submit"
              className="button button-primary"
              disabled={!upToDate || problemCount > 0}
              data-testid="continue"
            >
              Continue
            </button>
          </div>
        </div>
      </form>
    </Screen>
  );
}
