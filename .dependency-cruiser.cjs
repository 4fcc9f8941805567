/** Layering rules of the operator, checked in CI (`npm run check:layers`). */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make initialization order fragile.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'drivers-use-only-the-sdk',
      severity: 'error',
      comment: 'A driver may import from the core only the driver SDK surface (core/sdk/index.ts).',
      from: { path: '^drivers/' },
      to: { path: '^core/', pathNot: '^core/sdk/index\\.ts$' },
    },
    {
      name: 'drivers-are-independent',
      severity: 'error',
      comment: 'A driver never imports another driver.',
      from: { path: '^drivers/([^/]+)/' },
      to: { path: '^drivers/', pathNot: '^drivers/$1/' },
    },
    {
      name: 'core-imports-drivers-only-at-the-composition-root',
      severity: 'error',
      from: { path: '^core/', pathNot: '^core/composition/' },
      to: { path: '^drivers/' },
    },
    {
      name: 'sdk-is-self-contained',
      severity: 'error',
      comment: 'The SDK is published to driver authors; it may lean only on pure model helpers (the test kit aside).',
      from: { path: '^core/sdk/', pathNot: '^core/sdk/testkit/' },
      to: { path: '^core/', pathNot: ['^core/sdk/', '^core/model/syntax\\.ts$'] },
    },
    {
      name: 'only-tests-use-the-test-kit',
      severity: 'error',
      comment: 'The conformance kit (core/sdk/testkit) registers node:test tests; the operator never loads it.',
      from: { path: '^(core|drivers)/', pathNot: '^core/sdk/testkit/' },
      to: { path: '^core/sdk/testkit/' },
    },
    {
      name: 'production-never-imports-tests',
      severity: 'error',
      from: { path: '^(core|drivers)/' },
      to: { path: '^(test|scripts)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
