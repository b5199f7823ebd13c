/**
 * pyproject.toml's text with `start-after` in `[tool.alembic-guard]` set to `revisions`: the line
 * replaced where it is, added under the table's header, or the table added at the end. Every
 * other line, comment and blank stays as the user wrote it.
 */
export function withStartAfter(text: string, revisions: string[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const setting = `start-after = [${revisions.map((r) => JSON.stringify(r)).join(', ')}]`;
  const lines = text.length ? text.split(/\r?\n/) : [];
  const header = lines.findIndex((line) => /^\s*\[\s*tool\s*\.\s*alembic-guard\s*\]\s*(#.*)?$/.test(line));
  if (header === -1) {
    const body = text.length && !text.endsWith('\n') ? `${text}${eol}` : text;
    return `${body}${body.trim().length ? eol : ''}[tool.alembic-guard]${eol}${setting}${eol}`;
  }
  let end = lines.findIndex((line, i) => i > header && /^\s*\[/.test(line));
  if (end === -1) end = lines.length;
  const existing = lines.findIndex((line, i) => i > header && i < end && /^\s*start-after\s*=/.test(line));
  if (existing !== -1) {
    // A list spread over several lines ends at its closing bracket.
    let last = existing;
    if (lines[existing].includes('[') && !lines[existing].includes(']')) while (last + 1 < end && !lines[last].includes(']')) last++;
    lines.splice(existing, last - existing + 1, setting);
  } else {
    lines.splice(header + 1, 0, setting);
  }
  return lines.join(eol);
}
