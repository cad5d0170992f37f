import { type FlakeInput, inputLabel } from '../../common';

/** A generation's flake inputs, one a line, each with where it comes from on hover. */
export function FlakeInputsList({ inputs }: { inputs: readonly FlakeInput[] }) {
  return (
    <ul className="flake-inputs" data-testid="generation-inputs">
      {inputs.map((input) => (
        <li key={input.name} title={`${input.source}${input.rev ? ` at ${input.rev}` : ''}`}>
          <code>{inputLabel(input)}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * The inputs pinned differently between two generations, under their heading; nothing when
 * none differ or either generation does not say what it was built from.
 */
export function InputDifferences({
  differences,
  heading: Heading,
}: {
  differences: string[];
  /** Under "What will change" (h3) in the dialog; beside the package groups (h4) in a comparison. */
  heading: 'h3' | 'h4';
}) {
  if (!differences.length) return null;
  return (
    <>
      <Heading className="input-differences-title">
        Flake inputs that differ ({differences.length})
      </Heading>
      <ul className="flake-inputs input-differences" data-testid="input-differences">
        {differences.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </>
  );
}
