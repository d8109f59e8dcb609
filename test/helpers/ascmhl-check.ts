import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SPEC = fileURLToPath(new URL('../../fixtures/spec/ascmhl', import.meta.url));

/** Validates every generation and the chain file of an ascmhl/ folder against the ASC's XSDs (xmllint). */
export async function validateMhlFolder(mhlDir: string): Promise<void> {
  for (const f of await fs.readdir(mhlDir))
    execFileSync(
      'xmllint',
      [
        '--noout',
        '--schema',
        join(SPEC, f.endsWith('.mhl') ? 'ASCMHL.xsd' : 'ASCMHLDirectory.xsd'),
        join(mhlDir, f),
      ],
      { stdio: 'pipe' },
    );
}

/** Debian's python3, where the python3-pathspec package puts the library ascmhl matches with. */
const PYTHON = '/usr/bin/python3';

export function hasPathspec(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import pathspec'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * ascmhl's completeness check (commands.py: `set_of_file_paths` of every generation, minus the
 * files found, filtered by `test_for_missing_files` through the latest generation's ignore
 * list, or ascmhl's defaults without one), with the same library (pathspec, gitwildmatch) and
 * the same absolute paths. Returns the Photos/-relative paths ascmhl would call missing.
 */
export function ascmhlMissing(vaultRoot: string): string[] {
  const script = String.raw`
import os, re, sys, json, xml.etree.ElementTree as ET
import pathspec
root = sys.argv[1]
mhl = os.path.join(root, 'ascmhl')
ns = {'m': 'urn:ASC:MHL:v2.0'}
gens = sorted((int(re.match(r'^(\d{4,})_', f).group(1)), f) for f in os.listdir(mhl) if f.endswith('.mhl'))
paths, latest = set(), None
for _, f in gens:
    doc = ET.parse(os.path.join(mhl, f)).getroot()
    for p in doc.findall('m:hashes/m:hash/m:path', ns):
        paths.add(os.path.join(root, p.text))
    latest = [p.text for p in doc.findall('m:processinfo/m:ignore/m:pattern', ns)] or None
spec = pathspec.PathSpec.from_lines('gitwildmatch', latest or ['.DS_Store', 'ascmhl', 'ascmhl/'])
missing = [p for p in paths if not os.path.exists(p) and not spec.match_file(p)]
print(json.dumps(sorted(os.path.relpath(p, root) for p in missing)))
`;
  const out = execFileSync(PYTHON, ['-c', script, join(vaultRoot, 'Photos')], { encoding: 'utf8' });
  return JSON.parse(out) as string[];
}
