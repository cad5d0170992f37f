import { type ReactNode, useId } from 'react';
import { Sentence } from './Sentence';
import { TextInput } from './TextInput';

interface FieldProps {
  label: string;
  /** The answer's field path, e.g. `git.email`; names the test ids. */
  name: string;
  issues: string[];
  help?: string;
  children: (control: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
    'data-testid': string;
  }) => ReactNode;
}

/** A labelled control with its help text and, right under it, the rules it breaks. */
export function Field({ label, name, issues, help, children }: FieldProps) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const issueId = issues.length ? `${id}-issues` : undefined;
  const describedBy = [helpId, issueId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${issues.length ? ' field-invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        'aria-invalid': issues.length > 0,
        'aria-describedby': describedBy,
        'data-testid': `answer-${name}`,
      })}
      {help && (
        <p id={helpId} className="field-help">
          {help}
        </p>
      )}
      <IssueList id={issueId} issues={issues} testId={`issue-${name}`} />
    </div>
  );
}

/** The rules an answer breaks, right under it; nothing when it breaks none. */
export function IssueList({
  id,
  issues,
  testId,
}: {
  id: string | undefined;
  issues: string[];
  testId: string;
}) {
  if (issues.length === 0) return null;
  return (
    <ul id={id} className="field-error-list" data-testid={testId}>
      {issues.map((issue) => (
        <li key={issue}>
          <Sentence text={issue} />
        </li>
      ))}
    </ul>
  );
}

interface ChoiceGroupProps {
  legend: string;
  name: string;
  issues: string[];
  help?: string;
  children: ReactNode;
}

/** A fieldset of checkboxes or radios, with its issues under the group. */
export function ChoiceGroup({ legend, name, issues, help, children }: ChoiceGroupProps) {
  return (
    <fieldset
      className={`choice-group${issues.length ? ' field-invalid' : ''}`}
      data-testid={`answer-${name}`}
    >
      <legend className="field-label">{legend}</legend>
      {help && <p className="field-help">{help}</p>}
      {children}
      {issues.length > 0 && (
        <ul className="field-error-list" data-testid={`issue-${name}`}>
          {issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

export interface TextFieldProps extends Omit<FieldProps, 'children'> {
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email';
  /** Identifiers (host, user, keyboard names): no autofill, no spell check. */
  plain?: boolean;
  autoComplete?: string;
  /** Offered as the user types; any other value is still allowed and validated. */
  suggestions?: readonly string[];
}

/** A one-line text answer. */
export function TextField({
  value,
  onChange,
  type = 'text',
  plain,
  autoComplete,
  suggestions,
  ...field
}: TextFieldProps) {
  const listId = `${useId()}-suggestions`;
  return (
    <Field {...field}>
      {(control) => (
        <>
          <TextInput
            {...control}
            type={type}
            value={value}
            onChange={onChange}
            plain={plain}
            autoComplete={autoComplete}
            list={suggestions ? listId : undefined}
          />
          {suggestions && (
            <datalist id={listId}>
              {suggestions.map((suggestion) => (
                <option key={suggestion} value={suggestion} />
              ))}
            </datalist>
          )}
        </>
      )}
    </Field>
  );
}
