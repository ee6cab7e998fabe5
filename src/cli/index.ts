import { run } from '../fronts/cli.js';

run();
