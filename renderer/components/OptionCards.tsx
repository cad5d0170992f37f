export interface OptionCard<Id extends string> {
  id: Id;
  title: string;
  text: string;
}

interface OptionCardsProps<Id extends string> {
  /** The radio group's name. */
  name: string;
  options: readonly OptionCard<Id>[];
  value: Id;
  onChange: (id: Id) => void;
  /** Names each radio `<prefix>-<id>` for tests; none when absent. */
  testIdPrefix?: string;
  /** Two to a row, for a pair of choices; else as many as fit. */
  pair?: boolean;
}

/** One choice out of a few, each a card with a title and a sentence; the cards are radios. */
export function OptionCards<Id extends string>({
  name,
  options,
  value,
  onChange,
  testIdPrefix,
  pair,
}: OptionCardsProps<Id>) {
  return (
    <div className={pair ? 'option-cards option-cards-2' : 'option-cards'}>
      {options.map((option) => (
        <label key={option.id} className="option-card">
          <input
            type="radio"
            name={name}
            value={option.id}
            checked={value === option.id}
            onChange={() => onChange(option.id)}
            data-testid={testIdPrefix ? `${testIdPrefix}-${option.id}` : undefined}
          />
          <span className="option-title">{option.title}</span>
          <span className="option-text">{option.text}</span>
        </label>
      ))}
    </div>
  );
}
