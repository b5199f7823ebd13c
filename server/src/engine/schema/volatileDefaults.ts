/** Functions whose value differs per row: PostgreSQL must write each row's (PostgreSQL's ALTER TABLE documentation). */
export const VOLATILE_FUNCTION = /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|timeofday|nextval|statement_timestamp)\s*\(/i;

/** The volatile function a server default calls (`sa.text("gen_random_uuid()")`), if any. */
export function volatileFunctionIn(serverDefault: string | undefined): string | undefined {
  return serverDefault ? VOLATILE_FUNCTION.exec(serverDefault)?.[1] : undefined;
}
