/**
 * The layers of DESIGN.md: imports only point down. Each rule names a folder and what it may
 * not import; `npm run lint` fails on any violation.
 */
const layer = (name, mayImport) => ({
  name: `${name}-imports-only-down`,
  severity: 'error',
  comment: `src/${name} may import only: ${mayImport.join(', ') || 'nothing in src/'}`,
  from: { path: `^src/${name}/` },
  to: {
    path: '^src/',
    pathNot: [`^src/${name}/`, ...mayImport.map((m) => `^src/${m}/`)],
  },
});

module.exports = {
  forbidden: [
    layer('core', []),
    layer('platform', ['core']),
    layer('hardware/ports', ['core']),
    layer('hardware/drivers', ['core', 'platform', 'hardware/ports']),
    layer('vault', ['core', 'platform']),
    layer('catalog', ['core', 'platform']),
    layer('media', ['core', 'platform']),
    layer('tiers', ['core']),
    layer('tether', ['core', 'platform', 'hardware/ports']),
    layer('ingest', ['core', 'platform', 'vault', 'catalog', 'media', 'tiers']),
    layer('restore', ['core', 'platform', 'vault', 'catalog', 'media', 'tiers']),
    layer('sync', ['core', 'platform', 'vault', 'catalog', 'media', 'tiers']),
    layer('status', ['core', 'hardware/ports']),
    layer('web', [
      'core',
      'platform',
      'vault',
      'catalog',
      'media',
      'tiers',
      'ingest',
      'restore',
      'status',
    ]),
    {
      name: 'cli-uses-the-public-api',
      severity: 'error',
      comment:
        "the CLI is built on the subsystems' public entry points (their index.ts), like any user script; never on their internals",
      from: { path: '^src/cli/' },
      to: {
        path: '^src/',
        pathNot: ['^src/cli/', '^src/[a-z-]+/index\\.ts$', '^src/[a-z-]+/[a-z-]+/index\\.ts$'],
      },
    },
    {
      name: 'src-never-imports-tests-or-mocks',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|fixtures|hardware-mocks)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
