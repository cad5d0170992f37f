import type { InputHTMLAttributes } from 'react';

export interface TextInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> {
  value: string;
  onChange: (value: string) => void;
  /** Identifiers and paths (host, user, keyboard names, folders): no autofill, no spell check. */
  plain?: boolean;
}

/** A one-line input that hands back its text. */
export function TextInput({ onChange, plain, autoComplete, ...input }: TextInputProps) {
  return (
    <input
      {...input}
      onChange={(event) => onChange(event.target.value)}
      autoComplete={plain ? 'off' : autoComplete}
      spellCheck={plain ? false : undefined}
    />
  );
}
