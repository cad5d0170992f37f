import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { arrivalRefusal, keyInAddress, sessionUrl } from './bridge';
import { KeyRefusal } from './components/KeyRefusal';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('The page is missing its #root element.');
const root = createRoot(container);
const show = (page: ReactNode) => root.render(<StrictMode>{page}</StrictMode>);

// Electron's window needs no key; a browser's page first takes its key out of the address.
if (window.nixstrap) show(<App />);
else {
  // A new address pasted into this tab differs only in its fragment, which loads nothing: load
  // it, so the new key is taken as on arrival. Registered before the App's own listener, which
  // must not take `#token=…` for a step (and save that step) on the way.
  window.addEventListener('popstate', (event) => {
    if (!keyInAddress(window.location.href)) return;
    event.stopImmediatePropagation();
    window.location.reload();
  });
  void arrivalRefusal(sessionUrl()).then((kind) =>
    show(kind ? <KeyRefusal kind={kind} address={`${window.location.origin}/`} /> : <App />),
  );
}
