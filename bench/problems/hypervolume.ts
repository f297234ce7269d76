/** The benchmark scores several objectives by the library's exact hypervolume (src/math/hypervolume.ts). */
export { hypervolume } from '../../src/math/hypervolume.js';
