import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 20000,
  // An unhandled rejection fails the test it happened in.
  setupFilesAfterEnv: ['<rootDir>/spec/setup/unhandled.ts'],
};

export default config;
