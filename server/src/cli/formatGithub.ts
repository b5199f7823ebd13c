import * as path from 'path';
import type { Finding } from '../engine/analysis/finding';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

/** Workflow commands escape %, CR and LF in data, and also : and , in properties. */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions annotations: `::error file=…,line=…,col=…,title=…::message`. */
export function formatGithub(findings: Finding[], cwd: string): string {
  return findings
    .map((f) => {
      const file = path.relative(cwd, f.file).split(path.sep).join('/');
      const properties = [
        `file=${escapeProperty(file)}`,
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `endColumn=${f.range.end.character + 1}`,
        `title=${escapeProperty(`${f.code} ${f.name}`)}`,
      ];
      const help = f.fixes.find((x) => x.preferred) ?? f.fixes.find((x) => !x.cursor);
      return `::${COMMAND[f.severity]} ${properties.join(',')}::${escapeData(f.message + (help ? `\nhelp: ${help.title}` : ''))}`;
    })
    .join('\n');
}
