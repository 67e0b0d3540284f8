import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type PointStyle,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { GenerationRow } from '../api-types.js';
import { metric as formatMetric } from './format.js';

// Only the parts a line chart of numbers needs: the bundle carries no other chart type.
Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** Each mode has its colour and its shape, so the marks differ without colour too. */
export const MODE_STYLE: Record<string, { color: string; shape: PointStyle }> = {
  train: { color: '#2563eb', shape: 'circle' },
  tune: { color: '#d97706', shape: 'triangle' },
  rollback: { color: '#dc2626', shape: 'rectRot' },
};

interface Point {
  x: number;
  y: number;
}

/** One metric across the generations of a release: a line through all, marks by mode. */
export function MetricChart({ name, generations }: { name: string; generations: GenerationRow[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const series = generations
    .filter((g) => g.status !== 'pruned' && typeof g.metrics[name] === 'number')
    .map((g) => ({ generation: g.generation, mode: g.mode ?? 'train', value: g.metrics[name]! }));
  const key = JSON.stringify(series);
  useEffect(() => {
    if (canvas.current === null) return;
    const first = series[0]?.generation ?? 1;
    const last = series.at(-1)?.generation ?? 1;
    const line: ChartDataset<'line', Point[]> = {
      label: name,
      data: series.map((p) => ({ x: p.generation, y: p.value })),
      borderColor: '#94a3b8',
      borderWidth: 2,
      pointRadius: 0,
      pointHitRadius: 0,
      // Drawn first, under the marks.
      order: 1,
    };
    const marks = Object.entries(MODE_STYLE).map(
      ([mode, style]): ChartDataset<'line', Point[]> => ({
        label: mode,
        data: series.filter((p) => p.mode === mode).map((p) => ({ x: p.generation, y: p.value })),
        showLine: false,
        pointStyle: style.shape,
        pointRadius: 8,
        pointHoverRadius: 10,
        backgroundColor: style.color,
        borderColor: style.color,
        order: 0,
      }),
    );
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: { datasets: [line, ...marks] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: {
            type: 'linear',
            title: { display: true, text: 'generation' },
            min: first - 0.5,
            max: last + 0.5,
            afterBuildTicks: (axis) => {
              axis.ticks = axis.ticks.filter((t) => Number.isInteger(t.value));
            },
            ticks: { stepSize: 1, precision: 0 },
          },
          y: { type: 'linear', title: { display: true, text: name }, grace: '5%' },
        },
        plugins: {
          legend: {
            labels: {
              usePointStyle: true,
              filter: (item) => item.text !== name,
              font: { size: 13 },
            },
          },
          tooltip: {
            callbacks: {
              label: (item) =>
                `#${(item.raw as Point).x} ${item.dataset.label}: ${formatMetric((item.raw as Point).y)}`,
            },
          },
        },
      },
    });
    return () => chart.destroy();
    // The series' JSON is the chart's whole input.
  }, [key, name]);
  return (
    <figure class="chart" data-metric={name} data-series={key}>
      <figcaption>{name} across generations</figcaption>
      <div class="chart-box">
        <canvas ref={canvas} role="img" aria-label={`${name} by generation`} />
      </div>
    </figure>
  );
}
