import { createServiceOrchestrator, DEFAULT_SERVICE_URLS, SERVICE_NAMES, type ServiceName } from '@reactdjango-hub/orchestrator';

const perService = <T,>(make: (service: ServiceName) => T): Record<ServiceName, T> =>
  Object.fromEntries(SERVICE_NAMES.map((service) => [service, make(service)])) as Record<ServiceName, T>;
import type { HubSnapshot } from '@reactdjango-hub/orchestrator/simulator';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { readControlState } from './controlClient';
import { OrchestratorProvider } from '@reactdjango-hub/orchestrator/react';
import { queryFor, readSettings } from './settings';

/** Opened without the services' URLs: say what the page needs instead of showing four red tiles. */
function Unconfigured() {
  const example = queryFor(DEFAULT_SERVICE_URLS);
  return (
    <main className="unconfigured">
      <h1>ReactDjango Hub dashboard</h1>
      <div className="banner" role="alert" data-banner="unconfigured">
        <strong>This page does not know where the Hub is.</strong> It reads the four services&apos; URLs from its query string, and this
        address has none.
      </div>
      <ol>
        <li>
          Run <code>npm run dashboard</code> in the repository: it starts the simulator and this page, and prints the address to open (with
          the query string filled in).
        </li>
        <li>
          Or point it at a running Hub: <code>?identity=…&amp;content=…&amp;communication=…&amp;workflow=…</code>. For the library&apos;s
          default ports, open <a href={example}>{example}</a>.
        </li>
      </ol>
    </main>
  );
}

function Fatal({ message }: { message: string }) {
  return (
    <main className="unconfigured">
      <h1>ReactDjango Hub dashboard</h1>
      <div className="banner" role="alert" data-banner="fatal">
        <strong>The dashboard cannot start:</strong> {message}
      </div>
    </main>
  );
}

async function start(): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('The page lacks #root');
  const root = createRoot(container);
  window.addEventListener('pagehide', () => root.unmount(), { once: true });

  // The control endpoint, when the page is served by `npm run dashboard` (or the browser test).
  const control: HubSnapshot | null = await readControlState();
  let settings = readSettings(window.location.search);
  if (!settings.urls && control) {
    // Served with the simulator: take its URLs, and show them in the address bar so that it can be shared.
    const search = queryFor(
      perService((service) => control.services[service].url),
      window.location.search,
    );
    window.history.replaceState(null, '', search);
    settings = readSettings(search);
  }
  const urls = settings.urls;
  if (!urls) {
    root.render(<Unconfigured />);
    return;
  }

  let orchestrator;
  try {
    orchestrator = createServiceOrchestrator({
      services: urls,
      enableLogging: false,
      retryAttempts: 1,
      retryDelay: 200,
      timeout: 5_000,
      health: { checkInterval: settings.checkInterval, timeout: settings.healthTimeout },
      circuitBreaker: { failureThreshold: settings.failureThreshold, resetTimeout: settings.resetTimeout },
    });
  } catch (error) {
    root.render(<Fatal message={error instanceof Error ? error.message : String(error)} />);
    return;
  }
  window.addEventListener('pagehide', () => orchestrator.dispose(), { once: true });
  root.render(
    <OrchestratorProvider orchestrator={orchestrator}>
      <App urls={urls} control={control} />
    </OrchestratorProvider>,
  );
}

void start();
