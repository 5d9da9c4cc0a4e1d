/**
 * `npm run bench`: micro and solver benchmarks on both backends. Writes bench/results/latest.json
 * and latest.md. Figures from a software adapter (SwiftShader) are labelled emulated: they measure
 * CPU emulation of the GPU, not a GPU.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createNodeRuntime } from '../src/gpu/node';
import { benchGenericBarycenter } from './genericBarycenter';
import { benchGridSinkhorn } from './gridSinkhorn';
import { benchMcot } from './mcot';
import { benchReductions } from './reductions';
import { benchPot, benchSinkhorn, benchSinkhornLarge } from './sinkhorn';
import type { BenchRow } from './types';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function markdown(rows: BenchRow[], header: string): string {
  const fmt = (v: number | undefined, digits = 2) => (v === undefined ? '' : v.toFixed(digits));
  const lines = [
    header,
    '',
    '| benchmark | backend | n | median ms | runs | submits/it | dispatches/it | readbacks/it | note |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.backend}${r.backend === 'gpu' && r.emulated ? ' (emulated)' : ''} | ${r.n} | ${fmt(r.medianMs, 3)} | ${r.runs} | ${fmt(r.submits, 3)} | ${fmt(r.dispatches)} | ${fmt(r.readbacks, 3)} | ${r.note ?? ''} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

const runtime = await createNodeRuntime();
const { vendor, architecture, emulated } = runtime.adapter;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}`;
const adapter = `${vendor}/${architecture}${emulated ? ' — software adapter: GPU figures are EMULATED on the CPU' : ''}`;
console.log(`adapter: ${adapter}\nmachine: ${machine}`);

const SINKHORN_SIZES = [1024, 4096, 16384];
const sinkhornRows = await benchSinkhorn(runtime, SINKHORN_SIZES, RUNS);
const rows = [
  ...sinkhornRows,
  ...(await benchSinkhornLarge(runtime, RUNS)),
  // POT needs the dense n × m cost matrix: 16k² float64 would be 2 GiB.
  ...benchPot(
    SINKHORN_SIZES.filter((n) => n <= 4096),
    RUNS,
    sinkhornRows,
  ),
  ...(await benchGridSinkhorn(runtime, RUNS)),
  ...(await benchReductions(runtime, RUNS)),
  ...(await benchMcot(runtime, RUNS)),
  ...(await benchGenericBarycenter(runtime, RUNS)),
];
runtime.dispose();

const header = `# OT Lab benchmarks (${new Date().toISOString()})\n\nAdapter: ${adapter}. Machine: ${machine}. Median of ${RUNS} runs after a warm-up.`;
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  `${JSON.stringify({ adapter: runtime.adapter, machine, rows }, null, 2)}\n`,
);
writeFileSync('bench/results/latest.md', markdown(rows, header));
console.log(markdown(rows, header));
