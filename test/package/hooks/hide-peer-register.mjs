// `node --import ./hide-peer-register.mjs`: registers hide-peer.mjs.
import { register } from 'node:module';

register('./hide-peer.mjs', import.meta.url);
