// One jest run over every server package. Integration tests start real Redis (per file) and use the PostgreSQL
// server that scripts/test-ci.sh starts; TEST_DB=sqlite|postgres picks the database for control plane and workers.
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true, tsx: false },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/schema', '<rootDir>/testing', '<rootDir>/data-plane', '<rootDir>/control-plane', '<rootDir>/workers', '<rootDir>/bench', '<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  moduleNameMapper: {
    '^@nebulagate/(schema|testing|data-plane|control-plane|workers|bench)$': '<rootDir>/$1/src/index.ts',
    '^@nebulagate/(schema|testing|data-plane|control-plane|workers|bench)/(.*)$': '<rootDir>/$1/src/$2',
  },
  testTimeout: 30_000,
  // Fail loudly instead of hanging on a leaked handle.
  forceExit: true,
};
