/**
 * The platform's dependency rules, checked by dependency-cruiser in `npm test`
 * (test/dependencies.unit.test.ts) and by hand with `npx depcruise packages services`.
 *
 * Services meet only in `packages/contracts`: a service that imported another would load its whole
 * module tree and could call its rules directly, and the next service would copy that shape.
 * Packages are depended on only downward, so no package may import a service. Cross-service tests
 * and tools (`test/`, `scripts/`) are the only places that may load several services.
 *
 * Workspace packages are symlinks under node_modules; resolving them to their real paths (the
 * default) is what lets these rules see `@sme/scoring` as `services/scoring/...`.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'service-imports-service',
      severity: 'error',
      comment: 'A service depends on packages (events and wire types in @sme/contracts), never on another service.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/([^/]+)/', pathNot: '^services/$1/' },
    },
    {
      name: 'package-imports-service',
      severity: 'error',
      comment: 'Packages are depended on only downward: no package imports a service.',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the resolver cannot follow would hide a dependency from the rules above.',
      from: { path: '^(packages|services)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage|\\.tap)/' },
    // Type-only imports count: a service must not even borrow another's types.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
}
