import { LocalRemote } from '../../../src/sync/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { remoteConformance } from './remote-conformance.js';

remoteConformance('LocalRemote (a mounted share)', async () => {
  const root = await tempDir();
  return { remote: new LocalRemote(root), root };
});
