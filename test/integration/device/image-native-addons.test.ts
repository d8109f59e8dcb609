import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const STEP = 'image-build/stage-fieldbackup/02-app/01-run-chroot.sh';

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly gypfile?: boolean;
}
const readJson = (path: string): Manifest => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

/** A dependency with compiled code: a node-gyp build, or prebuilt binaries in per-platform packages. */
function isNative(name: string): boolean {
  const pkg = readJson(`node_modules/${name}/package.json`);
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
  return (
    pkg.gypfile === true ||
    existsSync(`node_modules/${name}/binding.gyp`) ||
    deps.some((d) =>
      [
        'node-gyp-build',
        'node-gyp-build-optional-packages',
        'bindings',
        'prebuild-install',
      ].includes(d),
    ) ||
    deps.some((d) => d.startsWith('@img/sharp-'))
  );
}

/** The modules the image build loads once inside the arm64 image (02-app). */
function loadedByTheBuild(): string[] {
  const line = readFileSync(STEP, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('node -e'));
  const list = /\[([^\]]+)\]/.exec(line ?? '')?.[1] ?? '';
  return [...list.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
}

describe('the image build', () => {
  it('loads every native dependency inside the arm64 image, so a missing arm64 build fails the build', () => {
    const dependencies = Object.keys(readJson('package.json').dependencies ?? {});
    const loaded = loadedByTheBuild();
    for (const name of dependencies.filter(isNative)) expect(loaded).toContain(name);
    for (const name of loaded) expect(dependencies).toContain(name);
  });

  it('loads them the way the build does (CommonJS require, as some are .node files)', () => {
    const line = readFileSync(STEP, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('node -e'));
    const script = /^node -e "(.*)"$/.exec(line ?? '')?.[1];
    expect(script).toBeDefined();
    execFileSync(process.execPath, ['-e', script ?? ''], { stdio: 'pipe' });
  });
});
