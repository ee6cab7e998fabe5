import { run } from '../fronts/action-prepare.js';

run();
