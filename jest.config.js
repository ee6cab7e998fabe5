/** Two projects: `unit` is the default suite (fast, moto and cloud-init on the host);
 *  `vm` boots real Linux under qemu and runs only through `npm run test:vm`. */
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.sh'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'js', 'cjs', 'mjs', 'json', 'sh'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
    '^.+\\.sh$': '<rootDir>/test/support/text-transform.cjs',
  },
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/vm/'],
    },
    {
      ...common,
      displayName: 'vm',
      testMatch: ['<rootDir>/test/vm/**/*.test.ts'],
    },
  ],
};
