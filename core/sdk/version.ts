/**
 * Version of the driver SDK surface (`oda-api-operator/sdk`), independent of the package version.
 * Semantic: a major bump removes or changes something a driver may use, a minor bump adds to the
 * surface, a patch bump changes no declaration. `core/sdk/api-report.md` records the surface of
 * each version; `npm run sdk:report` regenerates it and refuses a changed surface without a bump.
 */
export const SDK_VERSION = '1.0.0';
