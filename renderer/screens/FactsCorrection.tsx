import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import {
  BootLoaderSchema,
  type Facts,
  FactsSchema,
  FirmwareSchema,
  MachineKindSchema,
} from '../../common';
import { FIRMWARE_CHOICES, KIND_NAMES, LOADER_CHOICES } from '../../common/labels';
import type { Bridge } from '../bridge';
import { Checkbox } from '../components/Checkbox';
import { SelectField } from '../components/EnumSelect';

interface FactsCorrectionProps {
  bridge: Bridge;
  facts: Facts;
  onSave: (facts: Facts) => void;
  onCancel: () => void;
}

type Draft = Pick<Facts, 'kind' | 'isLaptop' | 'hostName'> & {
  firmware: Facts['boot']['firmware'];
  loader: Facts['boot']['loader'];
  nvidiaOpen: Record<number, boolean>;
};

function draftOf(facts: Facts): Draft {
  return {
    kind: facts.kind,
    isLaptop: facts.isLaptop,
    hostName: facts.hostName,
    firmware: facts.boot.firmware,
    loader: facts.boot.loader,
    nvidiaOpen: Object.fromEntries(
      facts.gpus.map((gpu, index) => [index, gpu.nvidiaOpen ?? false] as const),
    ),
  };
}

function apply(facts: Facts, draft: Draft): unknown {
  return {
    ...facts,
    kind: draft.kind,
    isLaptop: draft.isLaptop,
    hostName: draft.hostName.trim(),
    boot: {
      ...facts.boot,
      firmware: draft.firmware,
      loader: draft.loader,
      canTouchEfiVariables: draft.firmware === 'uefi' ? facts.boot.canTouchEfiVariables : false,
    },
    gpus: facts.gpus.map((gpu, index) =>
      gpu.vendor === 'nvidia' ? { ...gpu, nvidiaOpen: draft.nvidiaOpen[index] ?? false } : gpu,
    ),
  };
}

/** The few facts detection cannot be sure of, editable; the result is checked against FactsSchema. */
export function FactsCorrection({ bridge, facts, onSave, onCancel }: FactsCorrectionProps) {
  const [draft, setDraft] = useState(() => draftOf(facts));
  const [problems, setProblems] = useState<string[]>([]);
  const [hostNameIssue, setHostNameIssue] = useState<string | null>(null);
  const id = useId();
  const title = useRef<HTMLHeadingElement>(null);

  // The panel opens below the card: bring it into view and put the keyboard there.
  useEffect(() => {
    title.current?.scrollIntoView({ block: 'start' });
    title.current?.focus();
  }, []);

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Escape') onCancel();
  }
  const nvidia = facts.gpus
    .map((gpu, index) => ({ gpu, index }))
    .filter(({ gpu }) => gpu.vendor === 'nvidia');

  /** A select for one of the draft's enum facts. */
  function choice<K extends 'kind' | 'firmware' | 'loader'>(
    key: K,
    label: string,
    options: readonly Draft[K][],
    labels: Readonly<Record<Draft[K], string>>,
    testId?: string,
  ) {
    return (
      <SelectField
        label={label}
        options={options}
        labels={labels}
        value={draft[key]}
        onChange={(value) => setDraft({ ...draft, [key]: value })}
        data-testid={testId}
      />
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = FactsSchema.safeParse(apply(facts, draft));
    if (parsed.success) {
      setProblems([]);
      // A host name typed here follows the same rule as the answers' (the engine's own check).
      const assessed = await bridge.assessFacts({ facts: parsed.data });
      if (!assessed.ok) {
        setProblems([`${assessed.error.message} ${assessed.error.hint}`]);
        return;
      }
      const issue = assessed.value.issues.find((i) => i.field === 'hostName');
      if (issue && parsed.data.hostName !== facts.hostName) {
        setHostNameIssue(issue.message.replace(/^hostName /, 'The host name '));
        return;
      }
      setHostNameIssue(null);
      onSave(parsed.data);
    } else {
      setProblems(
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'facts'}: ${issue.message}`),
      );
    }
  }

  return (
    <form
      className="correction"
      onSubmit={(event) => void submit(event)}
      onKeyDown={onKeyDown}
      aria-labelledby={`${id}-title`}
      data-testid="correction-form"
    >
      <h3 id={`${id}-title`} ref={title} tabIndex={-1}>
        Correct what detection got wrong
      </h3>
      <p className="muted">
        These are the facts a program cannot always be sure of. Your corrections are used for
        everything that follows.
      </p>
      <div className="form-grid">
        {choice('kind', 'Kind of machine', MachineKindSchema.options, KIND_NAMES, 'correct-kind')}
        <label className={`field${hostNameIssue ? ' field-invalid' : ''}`}>
          <span className="field-label">Host name</span>
          <input
            value={draft.hostName}
            onChange={(event) => setDraft({ ...draft, hostName: event.target.value })}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={hostNameIssue !== null}
            aria-describedby={hostNameIssue ? `${id}-hostname-issue` : undefined}
            data-testid="correct-hostname"
          />
          {hostNameIssue && (
            <span
              id={`${id}-hostname-issue`}
              className="field-error-list"
              data-testid="issue-correct-hostname"
            >
              {hostNameIssue}
            </span>
          )}
        </label>
        {choice('firmware', 'Boot firmware', FirmwareSchema.options, FIRMWARE_CHOICES)}
        {choice('loader', 'Boot loader', BootLoaderSchema.options, LOADER_CHOICES)}
        <Checkbox
          className="field field-check"
          checked={draft.isLaptop}
          onChange={(isLaptop) => setDraft({ ...draft, isLaptop })}
          testId="correct-laptop"
        >
          This is a laptop
          <span className="field-help">Enables battery and lid handling.</span>
        </Checkbox>
        {nvidia.map(({ gpu, index }) => (
          <Checkbox
            key={gpu.pciId}
            className="field field-check"
            checked={draft.nvidiaOpen[index] ?? false}
            onChange={(open) =>
              setDraft({ ...draft, nvidiaOpen: { ...draft.nvidiaOpen, [index]: open } })
            }
          >
            Use NVIDIA's open kernel modules for {gpu.name}
            <span className="field-help">Supported from the Turing generation (RTX 20xx) on.</span>
          </Checkbox>
        ))}
      </div>
      {problems.length > 0 && (
        <ul className="field-error-list" role="alert">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" data-testid="save-correction">
          Use these facts
        </button>
      </div>
    </form>
  );
}
