import { run } from '../fronts/action-build-post.js';

run();
