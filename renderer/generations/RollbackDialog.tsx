import { useEffect, useRef, useState } from 'react';
import type { RollbackPlan } from '../../common';
import { inputDifferences } from '../../common/flake-inputs';
import { AnswerButtons } from '../components/AnswerButtons';
import { Banner } from '../components/Banner';
import { Checkbox } from '../components/Checkbox';
import { QuestionDialog } from '../components/QuestionDialog';
import { Sentence } from '../components/Sentence';
import { ClosureChangesView } from './ClosureChangesView';
import { CommandsDisclosure } from './CommandsDisclosure';
import { InputDifferences } from './FlakeInputs';
import { rollbackWords } from './rollback-words';

interface RollbackDialogProps {
  plan: RollbackPlan;
  busy: boolean;
  onConfirm: (moveRepo: boolean) => void;
  onCancel: () => void;
  /** Plans again staying in the specialisation that runs now (true), or going to the base. */
  onStay: (stay: boolean) => void;
  /** The button that asked for this dialog, where the keyboard goes back to. */
  opener: HTMLElement | null;
}

/** What the rollback does to the running system and to the next boot, in one sentence. */
function lead(plan: RollbackPlan): string {
  const { to, from } = plan;
  if (plan.action === 'boot') {
    return `Generation ${to.number} becomes the default from the next boot on; the system running now stays until then.`;
  }
  if (plan.action === 'test') {
    return `The system runs generation ${to.number} now${from ? ` instead of generation ${from.number}` : ''}, without making it the default: restarting the machine brings back the boot default.`;
  }
  return `The system switches to generation ${to.number} now${from ? `, from generation ${from.number}` : ''}.`;
}

/**
 * The specialisation running now that the generation has too, which the rollback may stay in
 * (it does unless told otherwise, as a switch does); null when there is none to offer.
 */
function offered(plan: RollbackPlan): string | null {
  const running = plan.from?.runningSpecialisation ?? null;
  // Within the generation in use, staying in what runs is no change: only its base is offered.
  if (plan.action === 'boot' || running === null || plan.from?.number === plan.to.number) {
    return null;
  }
  return plan.to.specialisations.includes(running) ? running : null;
}

/** The confirmation: what will change, what to know first, and the commands that will run. */
export function RollbackDialog({
  plan,
  busy,
  onConfirm,
  onCancel,
  onStay,
  opener,
}: RollbackDialogProps) {
  const [moveRepo, setMoveRepo] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  // A try ends with the next reboot: a repo moved for it would outlast it.
  const canMove = plan.repo !== null && plan.repoAhead !== null && plan.action !== 'test';
  const asked = rollbackWords(plan);
  const stayable = offered(plan);
  return (
    <QuestionDialog
      question={`${asked}?`}
      busy={busy}
      onCancel={onCancel}
      opener={opener}
      focusQuestion={false}
      testId="rollback-dialog"
    >
      <p className="lead">{lead(plan)}</p>
      {stayable && (
        <Checkbox
          className="checkbox"
          checked={plan.specialisation === stayable}
          onChange={(stay) => {
            if (!busy) onStay(stay);
          }}
          testId="stay-in-specialisation"
        >
          Stay in specialisation {stayable}
        </Checkbox>
      )}
      <h3>
        What will change
        {plan.specialisation ? ` in specialisation ${plan.specialisation}` : ''}
      </h3>
      <ClosureChangesView changes={plan.changes} />
      {plan.from && (
        <InputDifferences heading="h3" differences={inputDifferences(plan.from, plan.to, true)} />
      )}
      {plan.warnings.map((warning) => (
        <Banner key={warning} tone="warning" role="note">
          <p>
            <Sentence text={warning} />
          </p>
        </Banner>
      ))}
      {canMove && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={moveRepo}
            onChange={(e) => setMoveRepo(e.target.checked)}
          />
          {/* One flex item, so the sentence flows around its code instead of forming columns. */}
          <span>
            Also put {plan.repo}, now at <code>{plan.repoAhead?.slice(0, 12)}</code>, on a new
            branch nixstrap/rollback-{plan.to.number} at commit{' '}
            <code>{plan.to.commit?.slice(0, 12)}</code>, so the next build and switch does not undo
            this
          </span>
        </label>
      )}
      <CommandsDisclosure commands={plan.commands} />
      <AnswerButtons
        declineLabel="Cancel"
        confirmLabel={asked}
        busy={busy}
        onAnswer={(proceed) => (proceed ? onConfirm(moveRepo) : onCancel())}
        confirmTestId="confirm-rollback"
        confirmRef={confirm}
      />
    </QuestionDialog>
  );
}
