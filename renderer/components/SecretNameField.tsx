import { useId } from 'react';
import { SecretNameSchema } from '../../common';

/** Why `name` cannot name a secret, as the end of "The name …"; null when it can, or is empty. */
function problemOf(name: string): string | null {
  const parsed = SecretNameSchema.safeParse(name);
  return name !== '' && !parsed.success ? (parsed.error.issues[0]?.message ?? null) : null;
}

/** Whether `name` can name a secret: a key of its SOPS file and of `sops.secrets`. */
export const isSecretName = (name: string) => SecretNameSchema.safeParse(name).success;

interface SecretNameFieldProps {
  label: string;
  value: string;
  onChange: (name: string) => void;
  testId: string;
}

/** A secret's name, the rule it breaks said under it as it is typed. */
export function SecretNameField({ label, value, onChange, testId }: SecretNameFieldProps) {
  const id = useId();
  const problem = problemOf(value);
  return (
    <div className={`field${problem ? ' field-invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        value={value}
        placeholder="wifi-password"
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => onChange(event.target.value.trim())}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        data-testid={testId}
      />
      {problem && (
        <p className="field-error-list" id={`${id}-problem`}>
          The name {problem}.
        </p>
      )}
    </div>
  );
}
