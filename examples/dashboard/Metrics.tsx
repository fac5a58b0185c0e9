import { OPERATION_NAMES, SERVICE_NAMES } from '@reactdjango-hub/orchestrator';
import { LatencyChart, type LatencyPoint } from './charts';
import { ms, percent } from './format';
import { useEvents, useMetrics } from '@reactdjango-hub/orchestrator/react';

/** How many operation ends the latency chart plots. */
const CHART_POINTS = 200;

/** The metrics panel: totals, a row per operation with its percentiles, a row per service, and latency over time. */
export function Metrics() {
  const metrics = useMetrics();
  const ends = useEvents(['operation_complete', 'operation_error'], { limit: CHART_POINTS });
  const points: LatencyPoint[] = ends.map((event) => ({
    at: Date.parse(event.timestamp),
    duration: event.duration,
    series: event.operation,
    ok: event.type === 'operation_complete',
  }));
  const operations = OPERATION_NAMES.filter((name) => metrics.operations[name] !== undefined);

  return (
    <>
      <dl className="stats">
        <div data-metric="operations">
          <dt>Operations</dt>
          <dd>{metrics.totalOperations}</dd>
        </div>
        <div data-metric="success-rate">
          <dt>Success rate</dt>
          <dd>{percent(metrics.successfulOperations, metrics.totalOperations)}</dd>
        </div>
        <div data-metric="average">
          <dt>Mean time</dt>
          <dd>{metrics.totalOperations === 0 ? '–' : ms(metrics.averageOperationTime)}</dd>
        </div>
        <div data-metric="retries">
          <dt>Retries</dt>
          <dd>{metrics.retries}</dd>
        </div>
        <div data-metric="batches">
          <dt>Batches</dt>
          <dd>
            {metrics.batchesSent} <small>({metrics.batchedNotifications} notifications)</small>
          </dd>
        </div>
      </dl>

      <div className="table-scroll">
        <table className="per-operation">
          <caption>Per operation (percentiles over the latest runs)</caption>
          <thead>
            <tr>
              <th scope="col">Operation</th>
              <th scope="col">Runs</th>
              <th scope="col">Success</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">p99</th>
            </tr>
          </thead>
          <tbody>
            {operations.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  No operation has run yet.
                </td>
              </tr>
            )}
            {operations.map((name) => {
              const row = metrics.operations[name]!;
              return (
                <tr key={name} data-operation-metrics={name} data-count={row.count} data-failed={row.failed}>
                  <th scope="row">{name}</th>
                  <td>{row.count}</td>
                  <td>
                    {percent(row.successful, row.count)}
                    {row.failed > 0 && <small> ({row.failed} failed)</small>}
                  </td>
                  <td>{ms(row.p50)}</td>
                  <td>{ms(row.p95)}</td>
                  <td>{ms(row.p99)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <div className="table-scroll">
        <table className="per-service">
          <caption>Requests per service (attempts sent, retries included)</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Requests</th>
              <th scope="col">Errors</th>
              <th scope="col">Retries</th>
            </tr>
          </thead>
          <tbody>
            {SERVICE_NAMES.map((service) => (
              <tr key={service} data-service-metrics={service} data-requests={metrics.services[service].requests}>
                <th scope="row">{service}</th>
                <td>{metrics.services[service].requests}</td>
                <td>{metrics.services[service].errors}</td>
                <td>{metrics.services[service].retries}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <LatencyChart points={points} series={OPERATION_NAMES} />
    </>
  );
}
