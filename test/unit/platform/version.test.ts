import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toolVersion } from '../../../src/platform/index.js';

describe('toolVersion', () => {
  it("is this package's version from package.json", () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(toolVersion()).toBe(pkg.version);
    expect(toolVersion()).not.toBe('0.0.0');
  });
});
