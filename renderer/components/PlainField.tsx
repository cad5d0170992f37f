import type { ReactNode } from 'react';
import { Labelled } from './Labelled';
import { TextInput, type TextInputProps } from './TextInput';

interface PlainFieldProps extends Omit<TextInputProps, 'id' | 'plain'> {
  label: string;
  /** What stands under the input, such as its help. */
  children?: ReactNode;
}

/** A labelled one-line input for a path or a name, for forms without per-field issues. */
export function PlainField({ label, children, ...input }: PlainFieldProps) {
  return (
    <Labelled label={label}>
      {(id) => (
        <>
          <TextInput {...input} id={id} plain />
          {children}
        </>
      )}
    </Labelled>
  );
}
