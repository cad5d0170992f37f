import { AnswerButtons } from '../components/AnswerButtons';
import { QuestionDialog } from '../components/QuestionDialog';

interface RemoveSecretDialogProps {
  name: string;
  file: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** The button that asked, where the keyboard goes back to. */
  opener: HTMLElement | null;
}

/** The confirmation of a secret's removal: what goes, and what git still keeps. */
export function RemoveSecretDialog({
  name,
  file,
  busy,
  onConfirm,
  onCancel,
  opener,
}: RemoveSecretDialogProps) {
  // A removal is committed at once: the keyboard starts on the question, not on the yes.
  return (
    <QuestionDialog
      question={`Remove ${name} from ${file}?`}
      busy={busy}
      onCancel={onCancel}
      opener={opener}
      testId="remove-secret-dialog"
    >
      <p className="lead">
        The file is encrypted again without it, for the same readers, and committed. Earlier commits
        still hold its value, encrypted: if it may have leaked, change it where it is used (the
        Wi-Fi, the service) as well.
      </p>
      <p>
        A host whose configuration still names <code>sops.secrets."{name}"</code> fails its next
        switch: Nixstrap says which files do, once it is removed.
      </p>
      <AnswerButtons
        declineLabel="Cancel"
        confirmLabel={`Remove ${name}`}
        busy={busy}
        onAnswer={(proceed) => (proceed ? onConfirm() : onCancel())}
        confirmTestId="confirm-remove-secret"
      />
    </QuestionDialog>
  );
}
