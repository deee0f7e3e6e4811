// One jest config with two projects: `unit` runs against src/, `e2e` runs the built bundles
// (dist/) exactly as users do, with real kpt when it is installed.
const moduleNameMapper = {
  '^@flatnet/krm/testing$': '<rootDir>/packages/krm/src/testing/index.ts',
  '^@flatnet/(krm|net|api|pipeline|fs)$': '<rootDir>/packages/$1/src/index.ts',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': '<rootDir>/test/jest-transform.cjs' },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/packages/*/test/**/*.test.ts',
        '<rootDir>/functions/*/test/**/*.test.ts',
        '<rootDir>/test/unit/**/*.test.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
  ],
};
