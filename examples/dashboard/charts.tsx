// Plain SVG charts: a few dozen points each, so no chart library is worth its weight.
import { useEffect, useRef, useState, type RefObject } from 'react';

/** The width of an element in CSS pixels, followed as it resizes (the chart draws in real pixels, so its text stays legible). */
function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(200, Math.floor(entry.contentRect.width)));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A tiny line of the latest values, scaled to their own maximum; nothing until two values exist. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const width = 100;
  const height = 24;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((value, index) => `${(index * step).toFixed(1)},${(height - 1 - (value / max) * (height - 2)).toFixed(1)}`);
  return (
    <svg className="sparkline" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={label}>
      {values.length > 1 && <polyline points={points.join(' ')} fill="none" vectorEffect="non-scaling-stroke" />}
    </svg>
  );
}

/** One point of the latency chart: when an operation ended, how long it took, and how it ended. */
export interface LatencyPoint {
  at: number;
  duration: number;
  series: string;
  ok: boolean;
}

const CHART = { height: 180, left: 62, right: 8, top: 10, bottom: 22 };

/** A round top for the y axis: 1, 2 or 5 times a power of ten. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1)));
  return ([1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10) * power;
}

/**
 * Operation latency over time: one colour per operation, a cross for a failure, the x axis from the
 * first point to the last, the y axis from 0 to a round number over the slowest.
 */
export function LatencyChart({ points, series }: { points: readonly LatencyPoint[]; series: readonly string[] }) {
  const [ref, width] = useWidth<HTMLElement>(640);
  const { height, left, right, top, bottom } = CHART;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const first = points[0]?.at ?? 0;
  const span = Math.max(1, (points.at(-1)?.at ?? 0) - first);
  const yMax = niceCeiling(Math.max(0, ...points.map((point) => point.duration)));
  const x = (at: number) => left + (points.length > 1 ? ((at - first) / span) * plotWidth : plotWidth / 2);
  const y = (duration: number) => top + plotHeight - (duration / yMax) * plotHeight;
  const ticks = [0, yMax / 2, yMax];
  return (
    <figure className="latency-chart" ref={ref}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Operation latency over time">
        {ticks.map((tick) => (
          <g key={tick} className="grid">
            <line x1={left} x2={width - right} y1={y(tick)} y2={y(tick)} />
            <text x={left - 6} y={y(tick) + 4} textAnchor="end">
              {tick} ms
            </text>
          </g>
        ))}
        {points.length === 0 && (
          <text className="empty" x={left + plotWidth / 2} y={top + plotHeight / 2} textAnchor="middle">
            Run an operation to see its latency here
          </text>
        )}
        {series.map((name, index) => {
          const mine = points.filter((point) => point.series === name);
          return (
            <g key={name} className={`series series-${index}`} data-series={name}>
              {mine.length > 1 && <polyline points={mine.map((point) => `${x(point.at)},${y(point.duration)}`).join(' ')} />}
              {mine.map((point) =>
                point.ok ? (
                  <circle key={point.at} cx={x(point.at)} cy={y(point.duration)} r={3} />
                ) : (
                  <path key={point.at} className="failure" d={`M${x(point.at) - 4},${y(point.duration) - 4}l8,8m0,-8l-8,8`} />
                ),
              )}
            </g>
          );
        })}
        {points.length > 1 && (
          <text className="axis" x={width - right} y={height - 6} textAnchor="end">
            last {Math.round(span / 1000)} s
          </text>
        )}
      </svg>
      <figcaption>
        {series.map((name, index) => (
          <span key={name} className={`legend series-${index}`}>
            {name}
          </span>
        ))}
        <span className="legend failure">× failed</span>
      </figcaption>
    </figure>
  );
}
