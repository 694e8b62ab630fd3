// Public start-up API of the data plane (used by main.ts, the quickstart supervisor, tests and the benchmark).
export { ConfigError, loadDataPlaneConfig, type DataPlaneConfig } from './config';
export { startDataPlane, type DataPlaneStartOptions, type RunningDataPlane } from './server';
export { createUpstreamFetcher, UpstreamBlockedError, type UpstreamFetcher } from './relay/upstream-fetcher';
export { isBlockedAddress } from './relay/address-policy';
