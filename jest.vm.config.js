/** `npm run test:vm`: boots real Debian with cloud-init under qemu (see test/vm). */
import { common } from './jest.config.js';

export default {
  ...common,
  displayName: 'vm',
  testMatch: ['<rootDir>/test/vm/**/*.test.ts'],
  // Every guest of the suite is isolated (loopback forwards only): this machine reaches nothing else.
  setupFiles: ['<rootDir>/test/vm/isolated-network.ts'],
};
