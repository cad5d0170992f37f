import type { SelectHTMLAttributes } from 'react';
import { Labelled } from './Labelled';

interface EnumSelectProps<T extends string>
  extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> {
  /** The schema's enum, in its order. */
  options: readonly T[];
  /** What people read for each value; the value itself when absent. */
  labels?: Readonly<Partial<Record<T, string>>>;
  value: T;
  onChange: (value: T) => void;
}

/** A select over a schema enum: only its values can come out, typed, without a cast. */
export function EnumSelect<T extends string>({
  options,
  labels,
  value,
  onChange,
  ...select
}: EnumSelectProps<T>) {
  return (
    <select
      {...select}
      value={value}
      onChange={(event) => {
        const chosen = options.find((option) => option === event.target.value);
        if (chosen !== undefined) onChange(chosen);
      }}
    >
      {options.map((option) => (
        <option key={option} value={option}>
          {labels?.[option] ?? option}
        </option>
      ))}
    </select>
  );
}

/** An enum select with its label, for forms without per-field issues. */
export function SelectField<T extends string>({
  label,
  ...select
}: EnumSelectProps<T> & { label: string }) {
  return <Labelled label={label}>{(id) => <EnumSelect id={id} {...select} />}</Labelled>;
}
