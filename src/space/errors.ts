/** The error type, as the space layer (and those above it) import it; see src/errors.ts. */
export { HypertunerError, ensure, isHypertunerError, ERROR_CODES } from '../errors.js';
export type { HypertunerErrorCode } from '../errors.js';
