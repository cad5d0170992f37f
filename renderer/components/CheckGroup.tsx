import { toggle } from '../answers-form';

interface CheckGroupProps<T extends string> {
  options: readonly T[];
  labels: Readonly<Record<T, string>>;
  values: readonly T[];
  onChange: (values: T[]) => void;
  /** Names each checkbox `<prefix>-<value>` for tests; none when absent. */
  testIdPrefix?: string;
}

/** One checkbox per value of a schema enum; the list that comes out keeps no duplicates. */
export function CheckGroup<T extends string>({
  options,
  labels,
  values,
  onChange,
  testIdPrefix,
}: CheckGroupProps<T>) {
  return (
    <div className="checks">
      {options.map((option) => (
        <label key={option} className="check">
          <input
            type="checkbox"
            checked={values.includes(option)}
            data-testid={testIdPrefix ? `${testIdPrefix}-${option}` : undefined}
            onChange={(event) => onChange(toggle(values, option, event.target.checked))}
          />
          {labels[option]}
        </label>
      ))}
    </div>
  );
}
