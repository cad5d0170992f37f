import type { InputHTMLAttributes, ReactNode } from 'react';
import { Labelled } from './Labelled';

interface PlainFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** What stands under the input, such as its help. */
  children?: ReactNode;
}

/** A labelled one-line input for a path or a name: no spell check, no autofill. */
export function PlainField({ label, value, onChange, children, ...input }: PlainFieldProps) {
  return (
    <Labelled label={label}>
      {(id) => (
        <>
          <input
            {...input}
            id={id}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            spellCheck={false}
            autoComplete="off"
          />
          {children}
        </>
      )}
    </Labelled>
  );
}
