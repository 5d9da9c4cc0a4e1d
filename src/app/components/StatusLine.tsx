/** The footer: backend, adapter (marked emulated on software adapters), iteration rates, errors. */
import { useAppStore } from '../store';

export function formatRate(rate: number | undefined): string {
  if (rate === undefined || rate <= 0) return '–';
  return `${rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toPrecision(2)} it/s`;
}

/** A number for a panel: '–' when missing or NaN, scientific when very small or large. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '–';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) {
    return value.toExponential(digits - 1);
  }
  return value.toPrecision(digits + 2);
}

export function StatusLine() {
  const runtime = useAppStore((state) => state.runtime);
  const dismissError = useAppStore((state) => state.dismissError);
  const { adapter, status, iterationRates } = runtime;
  const backend =
    status === 'loading'
      ? 'starting WebGPU…'
      : runtime.backend === 'gpu'
        ? 'GPU (WebGPU)'
        : 'CPU (WebGPU unavailable)';
  return (
    <footer className="status-line" data-testid="status-line">
      <dl className="status-line__items">
        <div>
          <dt>Backend</dt>
          <dd data-testid="status-backend">{backend}</dd>
        </div>
        {adapter && (
          <div>
            <dt>Adapter</dt>
            <dd data-testid="status-adapter" title={adapter.description || undefined}>
              {adapter.vendor} / {adapter.architecture}
              {adapter.emulated && <strong className="tag tag--warn"> (emulated)</strong>}
            </dd>
          </div>
        )}
        <div>
          <dt>Rate</dt>
          <dd data-testid="status-rate">
            {adapter && <>GPU {formatRate(iterationRates.gpu)} · </>}
            CPU {formatRate(iterationRates.cpu)}
          </dd>
        </div>
      </dl>
      {runtime.errors.length > 0 && (
        <ul className="status-line__errors" role="alert">
          {runtime.errors.map((error, index) => (
            <li key={error}>
              <span>{error}</span>
              <button
                type="button"
                className="button button--small"
                aria-label="Dismiss this error"
                onClick={() => {
                  dismissError(index);
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </footer>
  );
}
