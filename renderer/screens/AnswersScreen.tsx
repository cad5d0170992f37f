import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  type AnswerChoices,
  type AnswerIssue,
  type Answers,
  type DESKTOPS,
  EDITORS,
  type Facts,
  type NixstrapError,
  PROFILES,
  type RELEASE_NAMES,
  type SERVICES,
  SHELLS,
  TOOLCHAINS,
} from '../../common';
import { issuesByField, parseKeyLines, toggle } from '../answers-form';
import type { Bridge } from '../bridge';
import { ErrorBanner } from '../components/ErrorBanner';
import { ChoiceGroup, Field, TextField } from '../components/Field';
import { PasswordField } from '../components/PasswordField';
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

const DESKTOP_TEXT: Record<(typeof DESKTOPS)[number], string> = {
  none: 'None (terminal only)',
  plasma: 'KDE Plasma',
  gnome: 'GNOME',
};

const SERVICE_TEXT: Record<(typeof SERVICES)[number], string> = {
  openssh: 'SSH server',
  tailscale: 'Tailscale',
  docker: 'Docker',
  podman: 'Podman',
  printing: 'Printing (CUPS)',
  bluetooth: 'Bluetooth',
  'remote-desktop': 'Remote desktop',
  flatpak: 'Flatpak',
};

const RELEASE_TEXT: Record<(typeof RELEASE_NAMES)[number], ReactNode> = {
  stable: (
    <>
      Stable <span className="muted">— tested releases, every six months</span>
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
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);

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
      <section className="screen" aria-labelledby="screen-title">
        <div className="screen-intro">
          <h1 id="screen-title" ref={heading} tabIndex={-1}>
            About you and this machine
          </h1>
        </div>
        {loadError ? (
          <ErrorBanner error={loadError} onRetry={() => void loadDefaults()} />
        ) : (
          <Spinner label="Preparing suggestions…" />
        )}
        <div className="actions">
          <button type="button" className="button button-secondary" onClick={onBack}>
            Back
          </button>
        </div>
      </section>
    );
  }

  const set = <K extends keyof Answers>(key: K, value: Answers[K]) =>
    onChange({ ...answers, [key]: value });
  const upToDate = checkedFor === answers;
  const problemCount = issues.length;

  return (
    <section className="screen" aria-labelledby="screen-title">
      <div className="screen-intro">
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          About you and this machine
        </h1>
        <p className="lead">
          Suggestions come from what Nixstrap found. Change anything; every field is checked as you
          type.
        </p>
      </div>
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
            <TextField
              label="Host name"
              name="hostName"
              issues={issuesOf('hostName')}
              help="Lowercase letters, digits and hyphens; it also names the host's folder in the repo."
              value={answers.hostName}
              onChange={(value) => set('hostName', value)}
              plain
            />
            <TextField
              label="Time zone"
              name="timeZone"
              issues={issuesOf('timeZone')}
              value={answers.timeZone}
              onChange={(value) => set('timeZone', value)}
              suggestions={TIME_ZONES}
              plain
            />
            {choices.locale && (
              <TextField
                label="Language and formats"
                name="locale"
                issues={issuesOf('locale')}
                value={answers.locale}
                onChange={(value) => set('locale', value)}
                suggestions={LOCALES}
                plain
              />
            )}
            {choices.keyboard && (
              <>
                <TextField
                  label="Keyboard layout"
                  name="keyboardLayout"
                  issues={issuesOf('keyboardLayout')}
                  value={answers.keyboardLayout}
                  onChange={(value) => set('keyboardLayout', value)}
                  suggestions={Object.keys(choices.keyboardLayouts)}
                  plain
                />
                <TextField
                  label="Keyboard variant"
                  name="keyboardVariant"
                  issues={issuesOf('keyboardVariant')}
                  help="Optional, e.g. dvorak or nodeadkeys."
                  value={answers.keyboardVariant}
                  onChange={(value) => set('keyboardVariant', value)}
                  plain
                />
              </>
            )}
            {choices.desktops.length > 1 && (
              <Field label="Desktop" name="desktop" issues={issuesOf('desktop')}>
                {(control) => (
                  <select
                    {...control}
                    value={answers.desktop}
                    onChange={(event) => set('desktop', event.target.value as Answers['desktop'])}
                  >
                    {choices.desktops.map((desktop) => (
                      <option key={desktop} value={desktop}>
                        {DESKTOP_TEXT[desktop]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
        </fieldset>

        <fieldset className="card form-section">
          <legend>You</legend>
          <div className="form-grid">
            <TextField
              label="User name"
              name="userName"
              issues={issuesOf('userName')}
              help="Your login name."
              value={answers.userName}
              onChange={(value) => set('userName', value)}
              plain
            />
            <TextField
              label="Full name"
              name="fullName"
              issues={issuesOf('fullName')}
              value={answers.fullName}
              onChange={(value) => set('fullName', value)}
              autoComplete="name"
            />
            <TextField
              label="Name for git commits"
              name="git.name"
              issues={issuesOf('git.name')}
              value={answers.git.name}
              onChange={(value) => set('git', { ...answers.git, name: value })}
              autoComplete="name"
            />
            <TextField
              label="Email for git commits"
              name="git.email"
              issues={issuesOf('git.email')}
              value={answers.git.email}
              onChange={(value) => set('git', { ...answers.git, email: value })}
              type="email"
              autoComplete="email"
            />
            <Field label="Shell" name="shell" issues={issuesOf('shell')}>
              {(control) => (
                <select
                  {...control}
                  value={answers.shell}
                  onChange={(event) => set('shell', event.target.value as Answers['shell'])}
                >
                  {SHELLS.map((shell) => (
                    <option key={shell} value={shell}>
                      {shell}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Editor" name="editor" issues={issuesOf('editor')}>
              {(control) => (
                <select
                  {...control}
                  value={answers.editor}
                  onChange={(event) => set('editor', event.target.value as Answers['editor'])}
                >
                  {EDITORS.map((editor) => (
                    <option key={editor} value={editor}>
                      {editor}
                    </option>
                  ))}
                </select>
              )}
            </Field>
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
                Also accept the password over SSH{' '}
                <span className="muted">— keys alone are safer</span>
              </label>
            </ChoiceGroup>
          )}
        </fieldset>

        <fieldset className="card form-section">
          <legend>Software</legend>
          <ChoiceGroup legend="Package profile" name="profile" issues={issuesOf('profile')}>
            <div className="option-cards">
              {PROFILES.map((profile) => (
                <label key={profile} className="option-card">
                  <input
                    type="radio"
                    name="profile"
                    value={profile}
                    checked={answers.profile === profile}
                    onChange={() => set('profile', profile)}
                  />
                  <span className="option-title">
                    {profile[0]?.toUpperCase() + profile.slice(1)}
                  </span>
                  <span className="option-text">{PROFILE_TEXT[profile]}</span>
                </label>
              ))}
            </div>
          </ChoiceGroup>
          <ChoiceGroup
            legend="Services"
            name="services"
            issues={issuesOf('services')}
            {...(choices.remoteOnly
              ? { help: `SSH is the way in here: ${choices.remoteOnly}.` }
              : {})}
          >
            <div className="checks">
              {choices.services.map((service) => (
                <label key={service} className="check">
                  <input
                    type="checkbox"
                    data-testid={`service-${service}`}
                    checked={answers.services.includes(service)}
                    onChange={(event) =>
                      set('services', toggle(answers.services, service, event.target.checked))
                    }
                  />
                  {SERVICE_TEXT[service]}
                </label>
              ))}
            </div>
          </ChoiceGroup>
          <ChoiceGroup
            legend="Language toolchains"
            name="toolchains"
            issues={issuesOf('toolchains')}
          >
            <div className="checks">
              {TOOLCHAINS.map((toolchain) => (
                <label key={toolchain} className="check">
                  <input
                    type="checkbox"
                    checked={answers.toolchains.includes(toolchain)}
                    onChange={(event) =>
                      set('toolchains', toggle(answers.toolchains, toolchain, event.target.checked))
                    }
                  />
                  {TOOLCHAIN_TEXT[toolchain]}
                </label>
              ))}
            </div>
          </ChoiceGroup>
          <ChoiceGroup legend="Nixpkgs channel" name="channel" issues={issuesOf('channel')}>
            <div className="checks">
              {choices.releases.map((release) => (
                <label key={release} className="check">
                  <input
                    type="radio"
                    name="channel"
                    checked={answers.channel === release}
                    onChange={() => set('channel', release)}
                  />
                  {RELEASE_TEXT[release]}
                </label>
              ))}
            </div>
          </ChoiceGroup>
          <label className="check">
            <input
              type="checkbox"
              checked={answers.allowUnfree}
              onChange={(event) => set('allowUnfree', event.target.checked)}
              data-testid="answer-allowUnfree"
            />
            Allow unfree software{' '}
            <span className="muted">— drivers that need it are allowed anyway</span>
          </label>
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
    </section>
  );
}
