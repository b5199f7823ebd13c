import { parseToml } from './toml';

/**
 * pyproject.toml's text with one setting of `[tool.alembic-guard]` set to `value` (TOML): the line
 * replaced where it is, added under the table's header, or the table added at the end. Every
 * other line, comment and blank stays as the user wrote it.
 */
export function withGuardSetting(text: string, key: string, value: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const setting = `${key} = ${value}`;
  const lines = text.length ? text.split(/\r?\n/) : [];
  const header = lines.findIndex((line) => /^\s*\[\s*tool\s*\.\s*alembic-guard\s*\]\s*(#.*)?$/.test(line));
  if (header === -1) {
    const body = text.length && !text.endsWith('\n') ? `${text}${eol}` : text;
    return `${body}${body.trim().length ? eol : ''}[tool.alembic-guard]${eol}${setting}${eol}`;
  }
  let end = lines.findIndex((line, i) => i > header && /^\s*\[/.test(line));
  if (end === -1) end = lines.length;
  const keyPattern = new RegExp(`^\\s*${key.replace(/[-]/g, '\\-')}\\s*=`);
  const existing = lines.findIndex((line, i) => i > header && i < end && keyPattern.test(line));
  if (existing !== -1) {
    // A list spread over several lines ends at its closing bracket.
    let last = existing;
    if (lines[existing].includes('[') && !lines[existing].includes(']')) while (last + 1 < end && !lines[last].includes(']')) last++;
    // A comment after the value on its own line says why: it stays.
    const comment = /\]\s*(#.*)$/.exec(lines[last])?.[1];
    lines.splice(existing, last - existing + 1, comment ? `${setting}  ${comment}` : setting);
  } else {
    // After the table's last setting, so a comment above a setting stays with it.
    let at = end;
    while (at - 1 > header && !lines[at - 1].trim()) at--;
    lines.splice(at, 0, setting);
  }
  return lines.join(eol);
}

/** `start-after` set to these revisions (what `alembic-guard baseline` writes). */
export function withStartAfter(text: string, revisions: string[]): string {
  return withGuardSetting(text, 'start-after', `[${revisions.map((r) => JSON.stringify(r)).join(', ')}]`);
}

/** `code` added to `ignore`, keeping the codes already there; undefined when the file is not valid TOML. */
export function withIgnoredCode(text: string, code: string): string | undefined {
  let current: unknown;
  try {
    current = (parseToml(text).tool as Record<string, Record<string, unknown>> | undefined)?.['alembic-guard']?.ignore;
  } catch {
    return undefined;
  }
  const codes = Array.isArray(current) ? current.filter((c): c is string => typeof c === 'string') : [];
  if (codes.includes(code)) return text;
  return withGuardSetting(text, 'ignore', `[${[...codes, code].map((c) => JSON.stringify(c)).join(', ')}]`);
}
