import { type ReactNode, useId } from 'react';

/** A control under its label, tied to it by id; for forms without per-field issues. */
export function Labelled({
  label,
  children,
}: {
  label: string;
  /** The control, given the id its label points at, and whatever stands under it. */
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(id)}
    </div>
  );
}
