import type { ReactNode } from 'react';

interface CheckboxProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** `check` among choices; `field field-check` among a form's fields. */
  className?: string;
  testId?: string;
  /** What the box says, beside it. */
  children: ReactNode;
}

/** A yes-or-no answer: a checkbox inside its label, so the words toggle it too. */
export function Checkbox({
  checked,
  onChange,
  className = 'check',
  testId,
  children,
}: CheckboxProps) {
  return (
    <label className={className}>
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        data-testid={testId}
      />
      <span>{children}</span>
    </label>
  );
}
