/** The default suite (`npm test`): unit tests, moto_server and Debian's cloud-init on the host.
 *  The VM suite has its own config (jest.vm.config.js, `npm run test:vm`). */
export const common = {
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
  ...common,
  displayName: 'unit',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['<rootDir>/test/vm/'],
};
