import { randomBytes } from 'crypto';
import * as path from 'path';
import type { FileEdit } from '../analysis/finding';
import type { AlembicProject } from '../project/alembicProject';

/** Alembic's generic script.py.mako, for projects whose own template we cannot render. */
const GENERIC_TEMPLATE = `"""\${message}

Revision ID: \${up_revision}
Revises: \${down_revision | comma,n}
Create Date: \${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
\${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = \${repr(up_revision)}
down_revision: Union[str, None] = \${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = \${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = \${repr(depends_on)}


def upgrade() -> None:
    \${upgrades if upgrades else "pass"}


def downgrade() -> None:
    \${downgrades if downgrades else "pass"}
`;

function pythonRepr(value: string | string[] | null): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return `(${value.map((v) => `'${v}'`).join(', ')}${value.length === 1 ? ',' : ''})`;
  return `'${value}'`;
}

/**
 * Renders the Mako expressions Alembic's templates use. Anything else (control lines,
 * `<% %>` blocks, unknown names) means the template is custom: undefined, and the generic
 * template is used instead.
 */
function renderTemplate(template: string, values: { message: string; revision: string; parents: string[]; createDate: string }): string | undefined {
  if (/<%|^\s*%[^>]/m.test(template)) return undefined;
  let unknown = false;
  const rendered = template.replace(/\$\{([^}]*)\}/g, (_, expression: string) => {
    switch (expression.replace(/\s+/g, ' ').trim()) {
      case 'message':
        return values.message;
      case 'up_revision':
        return values.revision;
      case 'down_revision | comma,n':
        return values.parents.join(', ');
      case 'create_date':
        return values.createDate;
      case 'repr(up_revision)':
        return pythonRepr(values.revision);
      case 'repr(down_revision)':
        return pythonRepr(values.parents);
      case 'repr(branch_labels)':
      case 'repr(depends_on)':
        return 'None';
      case 'imports if imports else ""':
        return '';
      case 'upgrades if upgrades else "pass"':
      case 'downgrades if downgrades else "pass"':
        return 'pass';
      default:
        unknown = true;
        return '';
    }
  });
  return unknown ? undefined : rendered;
}

/** `file_template` tokens Alembic fills in (`%(rev)s_%(slug)s` by default). */
function fileName(template: string | undefined, revision: string, slug: string, now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const values: Record<string, string> = {
    rev: revision,
    slug,
    year: String(now.getFullYear()),
    month: pad(now.getMonth() + 1),
    day: pad(now.getDate()),
    hour: pad(now.getHours()),
    minute: pad(now.getMinutes()),
    second: pad(now.getSeconds()),
    epoch: String(Math.floor(now.getTime() / 1000)),
  };
  return (template ?? '%(rev)s_%(slug)s').replace(/%\((\w+)\)[-.\d]*[sd]/g, (whole, key: string) => values[key] ?? whole) + '.py';
}

/** The new file `alembic merge -m "merge heads" <heads>` would write, as a file-creating edit. */
export function mergeRevisionFile(project: AlembicProject, readText: (file: string) => string | undefined, heads: string[], now = new Date()): FileEdit {
  const revision = randomBytes(6).toString('hex');
  const message = 'merge heads';
  const headFile = project.graph.get(heads[0])!.migration.path;
  const template = readText(path.join(project.alembic.scriptLocation, 'script.py.mako'));
  const createDate = now.toISOString().replace('T', ' ').replace('Z', '').padEnd(26, '0');
  const values = { message, revision, parents: heads, createDate };
  const text = (template !== undefined ? renderTemplate(template, values) : undefined) ?? renderTemplate(GENERIC_TEMPLATE, values)!;
  const file = path.join(path.dirname(headFile), fileName(project.alembic.fileTemplate, revision, 'merge_heads', now));
  return { file, create: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] };
}
