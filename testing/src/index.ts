export * from './free-port';
export * from './redis-server';
export * from './test-database';
export * from './mock-provider/server';
export type { MockScript } from './mock-provider/script';
export { mockSpeechBytes, type MultipartSummary } from './mock-provider/openai-endpoints';
export * from './seed-redis';
export * from './graphql-client';
export * from './usage-stream-reader';
