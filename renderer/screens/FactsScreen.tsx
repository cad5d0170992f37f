import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { Facts, NixstrapError } from '../../common';
import {
  formatBoot,
  formatCpu,
  formatKeyboard,
  formatMemory,
  formatNix,
  formatOs,
  hardwareNote,
  machineLabel,
} from '../../common/labels';
import type { Bridge } from '../bridge';
import { Banner } from '../components/Banner';
import { ErrorBanner } from '../components/ErrorBanner';
import { Screen } from '../components/Screen';
import { Sentence, SentenceList } from '../components/Sentence';
import { Spinner } from '../components/Spinner';
import { FactsCorrection } from './FactsCorrection';

/** Where detection is: under way, done (the facts as found), or refused. */
export interface Detection {
  loading: boolean;
  detected: Facts | null;
  error: NixstrapError | null;
}

interface FactsScreenProps {
  bridge: Bridge;
  /** The facts as found, or as the user corrected them. */
  facts: Facts | null;
  detection: Detection;
  onRedetect: () => void;
  onCorrect: (facts: Facts) => void;
  onContinue: () => void;
}

/** Detection reports `unknown` when DMI is empty (containers, some boards); that is no model. */
function hasModel(model: string): boolean {
  return model.trim() !== '' && model.trim().toLowerCase() !== 'unknown';
}

function Fact({
  label,
  testId,
  corrected,
  children,
}: {
  label: string;
  testId?: string;
  corrected?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {children}
        {corrected && <span className="tag tag-corrected">corrected</span>}
      </dd>
    </div>
  );
}

function FileSystems({ facts }: { facts: Facts }) {
  const entries = Object.entries(facts.fileSystems);
  if (entries.length === 0) return <p className="muted">No file systems to mount were found.</p>;
  return (
    <div className="table-scroll">
      <table className="table" data-testid="file-systems">
        <caption className="visually-hidden">File systems</caption>
        <thead>
          <tr>
            <th scope="col">Mount point</th>
            <th scope="col">Device</th>
            <th scope="col">Type</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([mountPoint, fs]) => (
            <tr key={mountPoint}>
              <td data-label="Mount point">
                <code className="wrap">{mountPoint}</code>
              </td>
              <td data-label="Device">
                <code className="wrap">{fs.device}</code>
              </td>
              <td data-label="Type">{fs.fsType}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function KernelModules({ modules }: { modules: Facts['kernelModules'] }) {
  const groups: [string, string[]][] = [
    ['Available in the initrd', modules.initrdAvailable],
    ['Loaded in the initrd', modules.initrd],
    ['Loaded by the kernel', modules.kernel],
  ];
  const total = groups.reduce((sum, [, list]) => sum + list.length, 0);
  return (
    <details className="disclosure">
      <summary>Kernel modules ({total})</summary>
      <dl className="module-groups">
        {groups.map(([title, list]) => (
          <div key={title}>
            <dt>{title}</dt>
            <dd>
              {list.length ? (
                list.map((name) => <code key={name}>{name}</code>)
              ) : (
                <span className="muted">none</span>
              )}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function FactsCard({ facts, detected }: { facts: Facts; detected: Facts | null }) {
  const note = hardwareNote(facts);
  const changed = (pick: (f: Facts) => unknown) =>
    detected !== null && JSON.stringify(pick(facts)) !== JSON.stringify(pick(detected));
  const summary: [label: string, testId: string, value: string, corrected?: boolean][] = [
    ['Host name', 'fact-hostname', facts.hostName, changed((f) => f.hostName)],
    ['User', 'fact-user', facts.userName],
    ['Processor', 'fact-cpu', formatCpu(facts.cpu)],
    ['Memory', 'fact-memory', formatMemory(facts.memoryBytes)],
    ['Boot', 'fact-boot', formatBoot(facts), changed((f) => [f.boot.firmware, f.boot.loader])],
    ['Operating system', 'fact-os', formatOs(facts.os)],
    ['Nix', 'fact-nix', formatNix(facts.nix)],
    ['Laptop', 'fact-laptop', facts.isLaptop ? 'Yes' : 'No', changed((f) => f.isLaptop)],
  ];
  // What the answers will propose, shown here so nobody meets a stranger's keyboard later.
  if (facts.timeZone) summary.push(['Time zone', 'fact-time-zone', facts.timeZone]);
  if (facts.locale) summary.push(['Language', 'fact-locale', facts.locale]);
  if (facts.keyboard) {
    summary.push(['Keyboard', 'fact-keyboard', formatKeyboard(facts.keyboard)]);
  }
  return (
    <article className="card facts-card" data-testid="facts-card" aria-labelledby="facts-title">
      <header className="card-header">
        <div>
          <p className="eyebrow">This machine</p>
          <h2 id="facts-title" data-testid="fact-kind" data-kind={facts.kind}>
            {machineLabel(facts)}
            {changed((f) => [f.kind, f.isLaptop]) && (
              <span className="tag tag-corrected">corrected</span>
            )}
          </h2>
          {hasModel(facts.model) && <p className="subtitle">{facts.model}</p>}
        </div>
        <span className="system-chip" data-testid="fact-system">
          {facts.system}
        </span>
      </header>
      <dl className="facts-grid">
        {summary.map(([label, testId, value, corrected]) => (
          <Fact key={testId} label={label} testId={testId} corrected={corrected}>
            {value}
          </Fact>
        ))}
        <Fact label="Graphics" testId="fact-gpus" corrected={changed((f) => f.gpus)}>
          {facts.gpus.length === 0
            ? facts.kind === 'apple-silicon-mac'
              ? 'Built into the Apple chip'
              : 'None found'
            : facts.gpus.map((gpu) => (
                <span key={gpu.pciId} className="line">
                  {gpu.name}
                  {gpu.driver && <span className="muted"> · {gpu.driver}</span>}
                  {gpu.vendor === 'nvidia' && gpu.nvidiaOpen && (
                    <span className="muted"> · open modules</span>
                  )}
                </span>
              ))}
        </Fact>
        {!note && (
          <Fact label="Disk encryption" testId="fact-luks">
            {Object.keys(facts.luksDevices).length === 0
              ? 'None'
              : Object.entries(facts.luksDevices).map(([name, luks]) => (
                  <span key={name} className="line">
                    LUKS <code className="wrap">{name}</code> on{' '}
                    <code className="wrap">{luks.device}</code>
                  </span>
                ))}
          </Fact>
        )}
        {!note && (
          <Fact label="Swap" testId="fact-swap">
            {facts.swapDevices.length === 0
              ? 'None'
              : facts.swapDevices.map((swap) => (
                  <code key={swap.device} className="line wrap">
                    {swap.device}
                  </code>
                ))}
          </Fact>
        )}
      </dl>
      {note ? (
        <section aria-labelledby="fs-title" className="card-section">
          <h3 id="fs-title">Disks and drivers</h3>
          <p className="muted" data-testid="hardware-note">
            {note}
          </p>
        </section>
      ) : (
        <>
          <section aria-labelledby="fs-title" className="card-section">
            <h3 id="fs-title">File systems</h3>
            <FileSystems facts={facts} />
          </section>
          <section className="card-section">
            <KernelModules modules={facts.kernelModules} />
          </section>
        </>
      )}
    </article>
  );
}

/**
 * Why the engine will not configure these facts, asked again after every correction: the
 * engine decides, so no correction of the kind or boot gets around a refusal.
 */
function useBlockers(bridge: Bridge, facts: Facts | null): NixstrapError[] {
  const [blockers, setBlockers] = useState<NixstrapError[]>([]);
  useEffect(() => {
    if (!facts) return;
    let cancelled = false;
    void bridge.assessFacts({ facts }).then((result) => {
      if (!cancelled) setBlockers(result.ok ? result.value.blockers : [result.error]);
    });
    return () => {
      cancelled = true;
    };
  }, [bridge, facts]);
  return blockers;
}

/** Step 1: what detection found, with a way to correct what it cannot know for sure. */
export function FactsScreen(props: FactsScreenProps) {
  const { facts } = props;
  const { detected, loading, error } = props.detection;
  const [correcting, setCorrecting] = useState(false);
  const blockedId = useId();
  const blocked = useBlockers(props.bridge, facts)[0] ?? null;

  const correctButton = useRef<HTMLButtonElement>(null);
  const wasCorrecting = useRef(false);

  // Closing the correction panel returns the keyboard to the button that opened it.
  useEffect(() => {
    if (wasCorrecting.current && !correcting) correctButton.current?.focus();
    wasCorrecting.current = correcting;
  }, [correcting]);

  // Re-detect is disabled while it runs, which drops the keyboard; it gets the keyboard back.
  const redetectButton = useRef<HTMLButtonElement>(null);
  const wasLoading = useRef(loading);
  useEffect(() => {
    const dropped = document.activeElement === null || document.activeElement === document.body;
    if (wasLoading.current && !loading && dropped) redetectButton.current?.focus();
    wasLoading.current = loading;
  }, [loading]);

  return (
    <Screen
      title="Here is what I found"
      intro={
        <p className="lead">
          Nixstrap looked at this machine without changing anything. Check that it is right: the
          configuration is written for exactly this hardware.
        </p>
      }
    >
      {error && <ErrorBanner error={error} onRetry={props.onRedetect} />}
      {loading && <Spinner label="Looking at this machine…" />}
      {facts && !loading && (
        <>
          {facts.warnings.length > 0 && (
            <Banner
              tone="warning"
              role="alert"
              title={
                facts.warnings.length === 1 ? 'Please read this first' : 'Please read these first'
              }
              testId="warnings"
            >
              <SentenceList items={facts.warnings} />
            </Banner>
          )}
          <FactsCard facts={facts} detected={detected} />
          {correcting ? (
            <FactsCorrection
              bridge={props.bridge}
              facts={facts}
              onCancel={() => setCorrecting(false)}
              onSave={(corrected) => {
                props.onCorrect(corrected);
                setCorrecting(false);
              }}
            />
          ) : null}
        </>
      )}
      <div className="actions actions-spread">
        <div className="actions-group">
          <button
            type="button"
            className="button button-secondary"
            onClick={props.onRedetect}
            disabled={loading}
            ref={redetectButton}
            data-testid="redetect"
          >
            Re-detect
          </button>
          {facts && !correcting && !loading && (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => setCorrecting(true)}
              ref={correctButton}
              data-testid="correct"
            >
              Correct something
            </button>
          )}
        </div>
        <div className="actions-end">
          {blocked && (
            <p className="muted" id={blockedId} data-testid="continue-blocked">
              <Sentence text={`${blocked.message} ${blocked.hint}`} />
            </p>
          )}
          <button
            type="button"
            className="button button-primary"
            onClick={props.onContinue}
            disabled={!facts || loading || correcting || blocked !== null}
            aria-describedby={blocked ? blockedId : undefined}
            data-testid="continue"
          >
            Continue
          </button>
        </div>
      </div>
    </Screen>
  );
}
