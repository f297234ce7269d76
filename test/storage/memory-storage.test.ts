import { MemoryStorage } from '../../src/storage/index.js';
import { describeStorageContract } from './storage-contract.js';
import { describeStoredDataContract } from './stored-data-contract.js';

describeStorageContract('memory', async () => ({
  storage: new MemoryStorage(),
  cleanup: async () => undefined,
}));
describeStoredDataContract('memory', async () => ({
  storage: new MemoryStorage(),
  cleanup: async () => undefined,
}));
