import { useState } from 'react';

interface CopyButtonProps {
  text: string;
  /** What is copied, for the button's accessible name: "Copy the path". */
  what: string;
  testId?: string;
}

/**
 * Copies to the clipboard. Browsers allow that only on secure origins (loopback is one); served
 * on another address, the button selects the text instead and says how to copy it.
 */
export function CopyButton({ text, what, testId }: CopyButtonProps) {
  const [done, setDone] = useState<'copied' | 'select' | null>(null);

  async function copy(button: HTMLButtonElement) {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      const target = button.parentElement?.querySelector('code');
      if (target) window.getSelection()?.selectAllChildren(target);
      setDone('select');
    }
  }

  return (
    <>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={(event) => void copy(event.currentTarget)}
        aria-label={`Copy ${what}`}
        data-testid={testId}
      >
        Copy
      </button>
      <span className="copy-result" role="status">
        {done === 'copied' ? 'Copied.' : done === 'select' ? 'Selected: press Ctrl+C to copy.' : ''}
      </span>
    </>
  );
}
