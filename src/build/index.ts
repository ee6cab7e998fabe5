import { run } from '../fronts/action-build.js';

run();
