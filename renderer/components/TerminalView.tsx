import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { type ILink, Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import type { NixstrapError } from '../../common';
import { passwordPrompt, promptedUser } from '../../common/password-prompt';
import type { Bridge } from '../bridge';
import { Banner } from './Banner';
import { allowedLink, linksIn } from './terminal-links';
import { OUTPUT_TERMINAL_OPTIONS, writeOutput, writeSkipNotice } from './terminal-output';
import { loadRenderer } from './terminal-renderer';

/** What the terminal element offers a test or a bug report: the text on screen and in scrollback. */
export interface TerminalElement extends HTMLElement {
  terminalText?: () => string;
}

interface TerminalViewProps {
  bridge: Bridge;
  runId: string;
  /** The accessible name of the terminal, e.g. "Output of the rebuild". */
  label: string;
}

function openLink(text: string): void {
  const url = allowedLink(text);
  // Electron hands window.open to the system browser (http and https only); a page opens a tab.
  if (url) window.open(url, '_blank', 'noopener,noreferrer');
}

/** Output quiet this long with a prompt on the cursor line: the command waits for an answer. */
const PROMPT_SETTLE_MS = 200;

/** Whether the keyboard is in a field of the page, which a prompt does not take it from. */
function typingElsewhere(element: Element | null): boolean {
  if (!(element instanceof HTMLElement) || element.closest('.run-terminal')) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

function bufferText(term: Terminal): string {
  const buffer = term.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < buffer.length; y += 1) {
    const line = buffer.getLine(y);
    if (!line) continue;
    if (line.isWrapped && lines.length) lines[lines.length - 1] += line.translateToString(true);
    else lines.push(line.translateToString(true));
  }
  return lines.join('\n').trimEnd();
}

/**
 * A run's terminal: xterm.js fed from the run's display stream, acknowledging what it has
 * drawn (the flow control's other half), keystrokes back to the pty for a sudo prompt.
 * Titles the output sets are ignored and only allowlisted https links open.
 */
export function TerminalView({ bridge, runId, label }: TerminalViewProps) {
  const host = useRef<TerminalElement>(null);
  const search = useRef<SearchAddon | null>(null);
  const [renderer, setRenderer] = useState<'webgl' | 'dom' | null>(null);
  const [problem, setProblem] = useState<NixstrapError | null>(null);
  const [query, setQuery] = useState('');
  /** The query the last search found nothing for: said beside the buttons, as a find bar does. */
  const [missing, setMissing] = useState<string | null>(null);
  // A password prompt the command waits at (sudo's): said above the terminal, which gets the keys.
  const [prompt, setPrompt] = useState<string | null>(null);
  const terminal = useRef<Terminal | null>(null);
  const searchId = useId();

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const term = new Terminal({
      ...OUTPUT_TERMINAL_OPTIONS,
      linkHandler: { activate: (_event, text) => openLink(text) },
    });
    const fit = new FitAddon();
    const finder = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(finder);
    search.current = finder;
    term.open(element);
    // OSC 0, 1 and 2 set the window title; output from a build has no say over the app's.
    const titles = [0, 1, 2].map((code) => term.parser.registerOscHandler(code, () => true));
    const links = term.registerLinkProvider({
      provideLinks(y, callback) {
        const text = term.buffer.active.getLine(y - 1)?.translateToString(true) ?? '';
        const found = linksIn(text).map(
          (link): ILink => ({
            text: link.text,
            range: {
              start: { x: link.start + 1, y },
              end: { x: link.start + link.text.length, y },
            },
            activate: () => openLink(link.url),
          }),
        );
        callback(found.length ? found : undefined);
      },
    });
    // Tab leaves the terminal like any other control, so the keyboard is never trapped here.
    term.attachCustomKeyEventHandler((event) => event.key !== 'Tab');
    loadRenderer(term, setRenderer);
    fit.fit();

    terminal.current = term;
    // Looked at once the output settles, so a finished run's replay, or a build line that
    // merely ends in "password:" and is followed at once, is not taken for a question.
    let ended = false;
    let settle: ReturnType<typeof setTimeout> | null = null;
    const checkPrompt = () => {
      if (settle) clearTimeout(settle);
      settle = setTimeout(() => {
        settle = null;
        const buffer = term.buffer.active;
        const line = buffer.getLine(buffer.baseY + buffer.cursorY)?.translateToString(true);
        const asked = ended ? null : passwordPrompt(line ?? '');
        setPrompt(asked);
        if (asked && !typingElsewhere(document.activeElement)) term.focus();
      }, PROMPT_SETTLE_MS);
    };
    const attachment = bridge.attachTerminal(runId, 0, {
      data: (text) => writeOutput(term, attachment, text, checkPrompt),
      skipped: (chars) => writeSkipNotice(term, chars),
      end: () => {
        ended = true;
        // A finished run takes no more keys: Tab goes past it, a click still selects and scrolls.
        term.textarea?.setAttribute('tabindex', '-1');
        checkPrompt();
      },
      error: setProblem,
    });
    attachment.resize(term.cols, term.rows);
    const typing = term.onData((data) => attachment.input(data));
    const sizing = term.onResize(({ cols, rows }) => attachment.resize(cols, rows));
    const observer = new ResizeObserver(() => {
      if (element.clientWidth > 0) fit.fit();
    });
    observer.observe(element);
    element.terminalText = () => bufferText(term);

    return () => {
      if (settle) clearTimeout(settle);
      terminal.current = null;
      observer.disconnect();
      typing.dispose();
      sizing.dispose();
      links.dispose();
      for (const title of titles) title.dispose();
      attachment.detach();
      element.terminalText = undefined;
      search.current = null;
      term.dispose();
    };
  }, [bridge, runId]);

  function find(event: KeyboardEvent<HTMLInputElement> | null, backwards: boolean): void {
    event?.preventDefault();
    if (!query || !search.current) return;
    const found = backwards ? search.current.findPrevious(query) : search.current.findNext(query);
    setMissing(found ? null : query);
  }

  return (
    <div className="terminal-panel">
      <div className="terminal-tools">
        <label className="visually-hidden" htmlFor={searchId}>
          Find in the output
        </label>
        <input
          id={searchId}
          className="terminal-search"
          type="search"
          placeholder="Find in the output"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setMissing(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') find(event, event.shiftKey);
          }}
          spellCheck={false}
          data-testid="terminal-search"
        />
        <button
          type="button"
          className="button button-ghost"
          disabled={!query}
          aria-label="Previous match"
          onClick={() => find(null, true)}
        >
          Previous
        </button>
        <button
          type="button"
          className="button button-ghost"
          disabled={!query}
          aria-label="Next match"
          onClick={() => find(null, false)}
        >
          Next
        </button>
        <span className="field-help" role="status" data-testid="terminal-search-status">
          {missing !== null && 'Not in the output'}
        </span>
      </div>
      {prompt && (
        <Banner
          tone="info"
          role="status"
          testId="terminal-prompt"
          title={
            promptedUser(prompt)
              ? `The command asks for the password of ${promptedUser(prompt)}`
              : 'The command asks for a password'
          }
          action={
            <button
              type="button"
              className="button button-secondary"
              onClick={() => terminal.current?.focus()}
            >
              Type it in the terminal
            </button>
          }
        >
          <p>
            “{prompt}”: type it in the terminal below and press Enter. It goes to the command as you
            type; it is not shown, and Nixstrap does not keep it.
          </p>
        </Banner>
      )}
      <section
        ref={host}
        className="run-terminal"
        aria-label={label}
        data-testid="terminal"
        data-renderer={renderer ?? undefined}
      />
      {problem && (
        <p className="terminal-problem" role="alert">
          {problem.message} {problem.hint}
        </p>
      )}
    </div>
  );
}
