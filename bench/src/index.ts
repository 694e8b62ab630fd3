// The benchmark's reusable pieces (the jest smoke test runs them at tiny scale); `npm run bench` runs run-bench.ts.
export * from './load-generator';
export * from './pass-through-proxy';
export * from './process-stats';
export * from './statistics';
export * from './workload';
export type { BenchMockScript } from './child-protocol';
