/**
 * Engine sentences mark commands and paths with backticks (`wsl --set-version …`); they are
 * shown as code so people can tell exactly what to type.
 */
export function Sentence({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one fixed sentence never reorder
          <code key={index} className="inline-code">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** Engine sentences as a bulleted list: warnings, notices, steps. */
export function SentenceList({ items }: { items: readonly string[] }) {
  return (
    <ul>
      {items.map((item) => (
        <li key={item}>
          <Sentence text={item} />
        </li>
      ))}
    </ul>
  );
}
