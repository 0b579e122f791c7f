export { seededRandom as rng } from '../../../test-support/seeded-random.js';
