import { createHash } from 'crypto';
import * as os from 'os';
import * as path from 'path';
import { BUILD_IDENTITY } from './engine/buildIdentity';
import type { EngineOptions } from './engine/engine';

/**
 * The user's cache folder for what was read from each file between runs:
 * ALEMBIC_GUARD_CACHE_DIR, else $XDG_CACHE_HOME/alembic-guard, else ~/.cache/alembic-guard.
 * Never inside the repository: a store committed by someone else could otherwise stand in
 * for the files it describes.
 */
export function userCacheFolder(environment: NodeJS.ProcessEnv = process.env): string {
  return environment.ALEMBIC_GUARD_CACHE_DIR || path.join(environment.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'alembic-guard');
}

/** One store per project folder, in `folder`; none when running unbundled sources (no build identity). */
export function factsCache(root: string, folder: string): EngineOptions['facts'] {
  if (!BUILD_IDENTITY) return undefined;
  const name = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 16);
  return { file: path.join(folder, `facts-${name}.bin`), build: BUILD_IDENTITY };
}
