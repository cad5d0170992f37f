import {
  formatBytes,
  type Generation,
  type GenerationMark,
  generationMarks,
  generationMarkWords,
  inputsLine,
  uncommittedWords,
} from '../../common';

/** Local date and time to the minute: when Nix made the generation's link. */
export function when(iso: string | null): string {
  if (!iso) return 'unknown date';
  return new Date(iso).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function Marks({ generation, marks }: { generation: Generation; marks: GenerationMark[] }) {
  return (
    <span className="generation-marks">
      {marks.map((mark) => (
        <span key={mark} className={`tag tag-${mark}`}>
          {generationMarkWords(generation, mark)}
        </span>
      ))}
    </span>
  );
}

/**
 * The commit a generation was built from, and the repo the run built it in. Plain text: a file:
 * link opens nothing from the app or from a browser page.
 */
export function CommitSource({
  generation,
  repo,
}: {
  generation: Generation;
  repo: string | null;
}) {
  if (!generation.commit) return <span className="muted">no commit recorded</span>;
  const uncommitted = uncommittedWords(generation);
  const label = `${generation.commit.slice(0, 12)}${uncommitted ? ` (${uncommitted})` : ''}`;
  const where = generation.repo ?? repo;
  return (
    <span className="commit" title={generation.commit} data-testid="generation-commit">
      <code>{label}</code>
      {generation.subject && <span className="commit-subject"> {generation.subject}</span>}
      {where && (
        <span className="commit-repo">
          {' '}
          in {where}
          {generation.branch && ` on ${generation.branch}`}
        </span>
      )}
    </span>
  );
}

/** What the timeline's button says, read as one phrase: its parts are laid out, not spoken. */
function generationName(g: Generation, marks: GenerationMark[]): string {
  return [
    `Generation ${g.number}: ${g.nixosVersion ?? g.kind ?? 'generation'}`,
    ...marks.map((mark) => generationMarkWords(g, mark)),
    when(g.createdAt),
    g.commit
      ? `commit ${g.commit.slice(0, 12)}${g.dirty ? ` with ${uncommittedWords(g)}` : ''}`
      : '',
    g.subject ?? '',
    inputsLine(g.inputs) ?? '',
  ]
    .filter(Boolean)
    .join(', ');
}

interface TimelineProps {
  generations: Generation[];
  selected: string | null;
  onSelect: (key: string) => void;
}

/** A generation's key: Nix reuses numbers after a deletion, so the store path tells them apart. */
export const generationKey = (g: Generation) => `${g.number}:${g.storePath}`;

/** Newest first, with current, running, booted and deleted generations marked. */
export function GenerationTimeline({ generations, selected, onSelect }: TimelineProps) {
  return (
    <ol className="timeline" data-testid="timeline">
      {generations.map((g) => {
        const key = generationKey(g);
        const marks = generationMarks(g, generations);
        return (
          <li key={key} className={`timeline-item${g.present ? '' : ' timeline-deleted'}`}>
            <button
              type="button"
              className="timeline-button"
              aria-pressed={selected === key}
              aria-label={generationName(g, marks)}
              data-testid={`generation-${g.number}`}
              onClick={() => onSelect(key)}
            >
              <span className="timeline-number">{g.number}</span>
              <span className="timeline-body">
                <span className="timeline-line">
                  {g.nixosVersion || g.kind ? (
                    <strong>{g.nixosVersion ?? g.kind}</strong>
                  ) : (
                    <span className="muted">version unknown</span>
                  )}
                  <Marks generation={g} marks={marks} />
                </span>
                <span className="timeline-line muted">
                  {when(g.createdAt)}
                  {g.kernelVersion && ` · kernel ${g.kernelVersion}`}
                  {g.closureBytes !== null && ` · ${formatBytes(g.closureBytes)}`}
                  {g.specialisations.length > 0 &&
                    ` · ${g.specialisations.length > 1 ? 'specialisations' : 'specialisation'} ${g.specialisations.join(', ')}`}
                </span>
                <span className="timeline-line">
                  {g.commit ? (
                    <code title={uncommittedWords(g) ?? undefined}>
                      {g.commit.slice(0, 12)}
                      {g.dirty ? '+dirty' : ''}
                    </code>
                  ) : (
                    <span className="muted">no commit recorded</span>
                  )}
                  {g.subject && (
                    <span className="timeline-subject" title={g.subject}>
                      {g.subject}
                    </span>
                  )}
                </span>
                {g.inputs.length > 0 && (
                  <span className="timeline-inputs muted" title={inputsLine(g.inputs) ?? undefined}>
                    {inputsLine(g.inputs)}
                  </span>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
