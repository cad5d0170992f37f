import type { DeletePlan } from '../../common';
import { formatBytes } from '../../common/bytes';
import { AnswerButtons } from '../components/AnswerButtons';
import { QuestionDialog } from '../components/QuestionDialog';
import { CommandsDisclosure } from './CommandsDisclosure';
import { deleteWords } from './delete-words';
import { when } from './GenerationTimeline';

interface DeleteDialogProps {
  plan: DeletePlan;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** The button that asked for this dialog, where the keyboard goes back to. */
  opener: HTMLElement | null;
}

/**
 * The confirmation of a deletion: exactly which generations go, that the boot menu is made
 * again without them, and that their space comes back only with a garbage collection.
 */
export function DeleteDialog({ plan, busy, onConfirm, onCancel, opener }: DeleteDialogProps) {
  const asked = deleteWords(plan.delete.map((g) => g.number));
  // Deleting cannot be undone: the keyboard starts on the question, not on the yes.
  return (
    <QuestionDialog
      question={`${asked}?`}
      busy={busy}
      onCancel={onCancel}
      opener={opener}
      testId="delete-dialog"
    >
      <p className="lead">
        {plan.delete.length === 1 ? 'Its link leaves' : 'Their links leave'} the profile{' '}
        {plan.profile}; the list keeps {plan.delete.length === 1 ? 'it' : 'them'}, marked deleted.
        Generation {plan.current?.number} stays current, and the running and booted ones are never
        deleted.
      </p>
      <ul className="delete-list" data-testid="delete-list">
        {plan.delete.map((g) => (
          <li key={g.number}>
            Generation {g.number}
            {g.nixosVersion && <span className="muted"> · {g.nixosVersion}</span>}
            <span className="muted"> · {when(g.createdAt)}</span>
          </li>
        ))}
      </ul>
      {plan.rebuildsBootMenu && (
        <p>
          The boot menu is then made again from generation {plan.current?.number}, so no entry names
          a deleted generation.
        </p>
      )}
      <p>
        Nothing is garbage-collected: the space comes back only with{' '}
        <code>nix-collect-garbage</code>
        {plan.freedBytes !== null &&
          `, up to ${formatBytes(plan.freedBytes)} that no kept generation shares`}
        .
      </p>
      <CommandsDisclosure commands={plan.commands} />
      <AnswerButtons
        declineLabel="Cancel"
        confirmLabel={asked}
        busy={busy}
        onAnswer={(proceed) => (proceed ? onConfirm() : onCancel())}
        confirmTestId="confirm-delete"
      />
    </QuestionDialog>
  );
}
