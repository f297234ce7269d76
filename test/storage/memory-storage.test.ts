import { MemoryStorage } from '../../src/storage/index.js';
import { describeStorageContract } from './storage-contract.js';

describeStorageContract('memory', async () => ({
  storage: new MemoryStorage(),
  cleanup: async () => undefined,
}));
