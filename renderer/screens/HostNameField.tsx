import { useEffect, useState } from 'react';
import type { Answers, Facts } from '../../common';
import { HOST_NAME_HELP } from '../../common/host-name';
import { issuesByField } from '../answers-form';
import type { Bridge } from '../bridge';
import { TextField } from '../components/Field';
import { freeHostName } from '../free-host-name';

interface HostNameFieldProps {
  bridge: Bridge;
  facts: Facts;
  answers: Answers;
  onAnswersChange: (answers: Answers) => void;
  /** The hosts the repo has: the name offered instead is none of them. */
  hosts: readonly string[];
}

/**
 * The host name, changed where the repo turns out to have it already, without going Back: the
 * engine checks it by the rules of the Answers screen, and its problem shows under it as there.
 */
export function HostNameField({
  bridge,
  facts,
  answers,
  onAnswersChange,
  hosts,
}: HostNameFieldProps) {
  const [issues, setIssues] = useState<string[]>([]);

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await bridge.validateAnswers({ answers, facts });
      // A call that fails leaves the check to the plan, which refuses such answers with a sentence.
      if (cancelled || !result.ok) return;
      setIssues(issuesByField(result.value.issues, []).get('hostName') ?? []);
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [answers, bridge, facts]);

  const free = hosts.includes(answers.hostName) ? freeHostName(answers.hostName, hosts) : null;
  return (
    <div className="host-name-change" data-testid="host-name-change">
      <TextField
        label="Host name"
        name="hostName"
        issues={issues}
        value={answers.hostName}
        onChange={(hostName) => onAnswersChange({ ...answers, hostName })}
        help={HOST_NAME_HELP}
        plain
      />
      {free && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => onAnswersChange({ ...answers, hostName: free })}
          data-testid="use-free-host-name"
        >
          Use {free}, a name the repo does not have
        </button>
      )}
    </div>
  );
}
