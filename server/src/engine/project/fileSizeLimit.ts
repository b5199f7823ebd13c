/**
 * Larger files are generated data, not migrations or models: the command line and the editor
 * both skip them, with a message. Parsing one costs hundreds of megabytes and seconds.
 */
export const MAX_FILE_CHARS = 2_000_000;

export function tooLargeMessage(file: string, length: number): string {
  return `skipped ${file}: ${(length / 1e6).toFixed(1)} MB is larger than the ${MAX_FILE_CHARS / 1e6} MB a migration or model can sensibly be`;
}
