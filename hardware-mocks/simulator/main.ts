/**
 * `npm start` until the appliance lands: generates a small shoot on a pretend card under
 * ./demo, ingests it into two vault folders with the real CLI, and says where everything is.
 */
import * as fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateShoot } from '../../fixtures/index.js';
import { runCli } from '../../src/cli/program.js';
import { initVault, readMarker } from '../../src/index.js';

const demo = resolve(process.argv[2] ?? 'demo');
const card = join(demo, 'card');
const vaults = [join(demo, 'ssd-a'), join(demo, 'ssd-b')];
const home = join(demo, 'home');

if (
  !(await fs.stat(card).then(
    () => true,
    () => false,
  ))
) {
  await generateShoot(card, { seed: 42, captures: 12, rawBytes: [2e6, 8e6], jpeg: true });
}
for (const [i, root] of vaults.entries()) {
  await readMarker(root).catch(() => initVault(root, { label: `DEMO-SSD-${'AB'[i]}` }));
}
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
const code = await runCli(
  ['ingest', card, '--vault', vaults[0]!, '--vault', vaults[1]!, '--home', home],
  io,
);
process.stdout.write(`
The pretend card:  ${card}
The two vaults:    ${vaults.join('\n                   ')}
  (their files are under Photos/, the ASC MHL history under Photos/ascmhl/)
The catalog:       ${home}
Run "npm start" again: the same card is recognised and nothing is copied twice.
`);
process.exitCode = code;
