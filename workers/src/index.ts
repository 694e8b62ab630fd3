export { loadWorkersConfig } from './config';
export type { WorkersConfig } from './config';
export { startWorkers } from './workers';
export type { WorkersHandle } from './workers';
export { billUsage, parseUsageEvent } from './jobs/usage-billing.job';
export type { UsageBillingDependencies, UsageBillingResult } from './jobs/usage-billing.job';
export { USAGE_JOB_OPTIONS, bullConnection } from './queues';
