export { defaultSeed, seed } from './seed';
