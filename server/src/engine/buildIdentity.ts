// Set by the bundler (scripts/bundle.mjs) from the sources it bundles.
declare const ALEMBIC_GUARD_BUILD: string | undefined;

/** Names the code that reads facts from files; undefined when running unbundled sources. */
export const BUILD_IDENTITY: string | undefined = typeof ALEMBIC_GUARD_BUILD === 'string' ? ALEMBIC_GUARD_BUILD : undefined;
