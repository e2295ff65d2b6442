// The direction of src/'s imports (../shared/STYLE.md, "The direction"): the ground floor
// (access/, common/, config/) imports no feature folder, and no two files import each other,
// type-only imports included. `npm run lint` runs it; `npm run deps:folders` prints the
// folder-level arrows.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Two files that import each other (directly or round a loop) cannot be read, tested or moved apart.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'ground-floor-imports-no-feature',
      comment: 'access/, common/ and config/ are the vocabulary every feature speaks: they import only each other and database/.',
      severity: 'error',
      from: { path: '^src/(access|common|config)/' },
      to: { path: '^src/', pathNot: '^src/(access|common|config|database)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
