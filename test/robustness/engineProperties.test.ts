import * as assert from 'assert';
import * as fc from 'fast-check';
import * as path from 'path';
import type { Finding } from '../../server/src/engine/analysis/finding';
import { Analyzer } from '../../server/src/engine/analysis/analyzer';
import { GuardEngine } from '../../server/src/engine/engine';
import { RevisionGraph } from '../../server/src/engine/graph/revisionGraph';
import { MigrationFile, MigrationReader, readMigrationFile } from '../../server/src/engine/migration/migrationFile';
import type { Tree } from 'web-tree-sitter';
import { PythonParser } from '../../server/src/engine/python/pythonParser';
import { SchemaHistory } from '../../server/src/engine/schema/schemaHistory';
import { RULES } from '../../server/src/engine/rules/registry';
import type { MigrationRule } from '../../server/src/engine/rules/rule';
import { SourceText } from '../../server/src/engine/text/sourceText';
import { FixtureProject } from '../support/fixtureProject';
import { migrationSource } from '../support/migrationSource';
import { applyTextEdits } from '../../server/src/engine/text/textEdits';

/** Fixed seed and bounded runs in `npm test`; FUZZ_RUNS=5000 for a longer session. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const MIGRATION = 'alembic/versions/82233f5589d3_add_receipt_notes.py';

function assertRangesInside(findings: Finding[], textOf: (file: string) => string | undefined): void {
  for (const finding of findings) {
    const text = new SourceText(textOf(finding.file) ?? '');
    for (const position of [finding.range.start, finding.range.end]) {
      assert.ok(position.line < text.lineCount, `${finding.code} line ${position.line} beyond ${text.lineCount} lines`);
      assert.ok(position.character <= text.lineText(position.line).length, `${finding.code} character ${position.character} beyond line ${position.line}`);
    }
  }
}

/** Replaces `remove` characters at `at` by `insert` and re-parses incrementally, as an editor does. */
function editAndReparse(parser: PythonParser, document: { text: string; tree: Tree }, [at, remove, insert]: [number, number, string]): void {
  const start = Math.min(at, document.text.length);
  const next = document.text.slice(0, start) + insert + document.text.slice(start + remove);
  const updated = parser.reparse(document.text, document.tree, next);
  if (updated !== document.tree) document.tree.delete();
  document.tree = updated;
  document.text = next;
}

/** Edits that break code the way typing does. */
const mutation = (text: string) =>
  fc.oneof(
    fc.nat(text.length).map((at) => text.slice(0, at)),
    fc.tuple(fc.nat(text.length), fc.string({ unit: 'grapheme', maxLength: 40 })).map(([at, s]) => text.slice(0, at) + s + text.slice(at)),
    fc.tuple(fc.nat(text.length), fc.nat(200)).map(([at, n]) => text.slice(0, at) + text.slice(at + n)),
    fc.tuple(fc.nat(text.length), fc.constantFrom('(', ')', '[', '"', "'", '"""', ':', '\\', '{', '\t', '\r', '\u0000', '\uFFFD', '\uD800')).map(([at, c]) => text.slice(0, at) + c + text.slice(at)),
    fc.constant(text.replace(/\n/g, '\r\n')),
    fc.constant(text.replace(/    /g, '\t')),
    fc.nat(400).map((depth) => text.replace('def upgrade() -> None:', `def upgrade() -> None:\n    x = ${'('.repeat(depth)}1${')'.repeat(depth)}`)),
    fc.constant(''),
  );

describe('robustness properties (fast-check, fixed seed)', function () {
  this.timeout(300000);
  let project: FixtureProject;
  let engine: GuardEngine;
  let original: string;
  before(async () => {
    project = FixtureProject.copyOf('sample-project');
    engine = await GuardEngine.create(project.root);
    original = project.read(MIGRATION);
  });
  after(() => project.dispose());

  it('never throws on half-typed, broken or odd text, and every range lies inside its document', () => {
    const file = project.path(MIGRATION);
    fc.assert(
      fc.property(mutation(original), (text) => {
        engine.files.setOverlay(file, text);
        const findings = [...engine.analyze().values()].flat();
        assertRangesInside(findings, (f) => engine.files.readText(f));
      }),
      { numRuns: RUNS, seed: SEED },
    );
    engine.files.clearOverlay(file);
  });

  it('parses incrementally to the same tree as a fresh parse, edit after edit', async () => {
    const parser = await PythonParser.load();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2000), fc.nat(20), fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 15 }), (edits) => {
        const document = { text: original, tree: parser.parse(original) };
        for (const edit of edits) editAndReparse(parser, document, edit);
        const fresh = parser.parse(document.text);
        const same = fresh.rootNode.toString() === document.tree.rootNode.toString();
        fresh.delete();
        document.tree.delete();
        assert.ok(same, 'incremental and fresh trees differ');
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('reading a migration again after each edit gives the facts of reading it from scratch', async () => {
    const parser = await PythonParser.load();
    // Statements typed into the bodies as well as characters: reused readings must move with them.
    const typed = fc.constantFrom('x', '(', ')', '"', '#', '\n', '\n    ', '    ', "op.drop_table('t')\n    ", "op.execute('DROP TABLE t')\n    ", "with op.batch_alter_table('t') as b:\n        b.drop_column('c')\n    ");
    const edit = fc.tuple(fc.nat(3000), fc.nat(30), fc.oneof(typed, fc.string({ maxLength: 8 })));
    const serialize = (file: MigrationFile) => JSON.stringify(file, (_, value) => (value instanceof Map ? [...value] : value));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 12 }), (edits) => {
        const reader = new MigrationReader();
        const document = { text: original, tree: parser.parse(original) };
        reader.read(MIGRATION, document.tree);
        try {
          for (const edit of edits) {
            editAndReparse(parser, document, edit);
            assert.strictEqual(serialize(reader.read(MIGRATION, document.tree)), serialize(readMigrationFile(MIGRATION, document.tree)));
          }
        } finally {
          document.tree.delete();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  const DANGEROUS = [
    "op.drop_table('invoices')",
    "op.drop_table('session')",
    "op.drop_column('users', 'phone')",
    "op.drop_index('ix_users_email', table_name='users')",
    "op.add_column('users', sa.Column('credits', sa.Integer(), nullable=False))",
    "op.add_column('users', sa.Column('nickname', sa.String(), nullable=False))",
    "op.create_index('ix_users_nickname', 'users', ['nickname'])",
    'op.execute("ALTER TYPE user_status ADD VALUE \'suspended\'")',
    "op.drop_constraint(None, 'users', type_='unique')",
    "op.create_table('teams', sa.Column('id', sa.Integer(), nullable=False), sa.Column('owner_id', sa.Integer(), sa.ForeignKey('owners.id')))",
    "op.create_table('owners', sa.Column('id', sa.Integer(), nullable=False))",
    "op.add_column('users', sa.Column('team_id', sa.Integer(), nullable=True))",
    "op.create_foreign_key('fk_users_team', 'users', 'teams', ['team_id'], ['id'])",
    "op.alter_column('users', 'email', new_column_name='email_address')",
  ];
  const CREATE_BASE = [
    "op.create_table('users', sa.Column('id', sa.Integer(), nullable=False), sa.Column('email', sa.String(), nullable=False), sa.Column('phone', sa.String(), nullable=True))",
    "op.create_index('ix_users_email', 'users', ['email'], unique=True)",
    "op.create_unique_constraint('uq_users_phone', 'users', ['phone'])",
    "op.create_table('invoices', sa.Column('id', sa.Integer(), nullable=False))",
  ];

  it('every fix keeps Python valid, and a fix that is not an ignore clears its finding', async () => {
    const fixProject = FixtureProject.copyOf('sample-project');
    const fixEngine = await GuardEngine.create(fixProject.root);
    const parser = await PythonParser.load();
    const baseFile = fixProject.path('alembic/versions/b00000000001_create_users.py');
    const headFile = fixProject.path('alembic/versions/b00000000002_change_users.py');
    const base = migrationSource({ revision: 'b00000000001', downRevision: '82233f5589d3', message: 'create users', upgrade: CREATE_BASE, downgrade: ["op.drop_table('invoices')", "op.drop_table('users')"] });
    fixProject.write('alembic/versions/b00000000001_create_users.py', base);
    fc.assert(
      fc.property(fc.subarray(DANGEROUS, { minLength: 1 }), fc.subarray(DANGEROUS), fc.boolean(), (upgrade, downgrade, markers) => {
        const text = migrationSource({ revision: 'b00000000002', downRevision: 'b00000000001', message: 'change users', upgrade, downgrade, autogenerated: markers });
        const overlays = new Map<string, string>([[headFile, text]]);
        const apply = () => overlays.forEach((t, f) => fixEngine.files.setOverlay(f, t));
        apply();
        const findings = [...fixEngine.analyze().values()].flat().filter((f) => f.file === headFile);
        for (const finding of findings) {
          for (const fix of finding.fixes) {
            const edited = new Map<string, string>();
            for (const fileEdit of fix.edits) {
              if (fileEdit.create) continue;
              const before = overlays.get(fileEdit.file) ?? fixEngine.files.readText(fileEdit.file)!;
              edited.set(fileEdit.file, applyTextEdits(before, fileEdit.edits));
            }
            for (const [file, after] of edited) {
              const tree = parser.parse(after);
              assert.ok(!tree.rootNode.hasError, `${fix.title} broke ${path.basename(file)}:\n${after}`);
              tree.delete();
              fixEngine.files.setOverlay(file, after);
            }
            if (!fix.cursor) {
              const again = [...fixEngine.analyze().values()].flat();
              const same = (f: Finding) => f.code === finding.code && f.message === finding.message && f.file === finding.file;
              assert.ok(again.filter(same).length < findings.filter(same).length, `${fix.title} left ${finding.code}: ${finding.message}`);
            }
            for (const file of edited.keys()) {
              if (overlays.has(file)) fixEngine.files.setOverlay(file, overlays.get(file)!);
              else fixEngine.files.clearOverlay(file);
            }
          }
        }
      }),
      { numRuns: Math.max(20, Math.floor(RUNS / 3)), seed: SEED },
    );
    fixProject.dispose();
  });

  it('a rule that throws loses its own findings for that file only, and is reported once', async () => {
    const exploding: MigrationRule = { ...(RULES.find((r) => r.code === 'AG101') as MigrationRule), code: 'AG999', name: 'exploding', check: () => { throw new Error('boom'); } };
    const errors: string[] = [];
    const analyzer = new Analyzer(engine.index, (message) => errors.push(message), [...RULES, exploding]);
    engine.index.refresh();
    const findings = [...analyzer.analyzeWorkspace().values()].flat();
    analyzer.analyzeWorkspace();
    assert.strictEqual(findings.filter((f) => f.code === 'AG203').length, 4, 'the other rules still report');
    assert.strictEqual(errors.length, engine.index.projects[0].migrations.length, 'one message per file, not per run');
    assert.match(errors[0], /AG999 failed on .*: Error: boom/);
  });

  it('a graph of 10,000 revisions with a cycle and a missing parent completes', () => {
    const fake = (id: string, down: string | string[] | null): MigrationFile =>
      ({ path: `/v/${id}.py`, revision: { value: id, strings: [] }, downRevision: { value: down, strings: [] }, ops: [], sql: [], executedExpressions: [] }) as unknown as MigrationFile;
    const migrations: MigrationFile[] = [];
    for (let i = 0; i < 10000; i++) migrations.push(fake(`r${i}`, i === 0 ? null : `r${i - 1}`));
    migrations.push(fake('c1', 'c2'), fake('c2', 'c1'), fake('orphan', 'nowhere'));
    const graph = new RevisionGraph(migrations);
    assert.deepStrictEqual([...graph.cyclic].sort(), ['c1', 'c2']);
    assert.deepStrictEqual(graph.missing.map((m) => m.target), ['nowhere']);
    assert.deepStrictEqual(graph.heads, ['r9999', 'orphan']);
    assert.strictEqual(graph.history().length, 10001);
    assert.strictEqual(new SchemaHistory(graph, false).before('r9999').tables.size, 0);
  });
});
