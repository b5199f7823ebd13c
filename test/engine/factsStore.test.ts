import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FactsStore } from '../../server/src/engine/project/factsStore';

describe('FactsStore (facts kept between runs)', () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-store-'))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  const facts = { ops: [{ name: 'drop_table', arguments: new Map([['table_name', { value: 'users' }]]) }] };

  it('gives back what was stored for the same content, Maps included, and nothing for other content', () => {
    const file = path.join(folder, 'facts.bin');
    const store = FactsStore.open(file, 'build-1');
    store.set('migration', '/p/a.py', 'text one', facts);
    store.save();
    const reopened = FactsStore.open(file, 'build-1');
    assert.deepStrictEqual(reopened.get('migration', '/p/a.py', 'text one'), facts);
    assert.strictEqual(reopened.get('migration', '/p/a.py', 'text two'), undefined);
    assert.strictEqual(reopened.get('module', '/p/a.py', 'text one'), undefined);
  });

  it('ignores a store written by another build: facts read by older code are never trusted', () => {
    const file = path.join(folder, 'facts.bin');
    const store = FactsStore.open(file, 'build-1');
    store.set('migration', '/p/a.py', 'text', facts);
    store.save();
    assert.strictEqual(FactsStore.open(file, 'build-2').get('migration', '/p/a.py', 'text'), undefined);
  });

  it('removes stores of other folders unused for 30 days when it saves, and keeps those in use', () => {
    const month = 31 * 24 * 60 * 60 * 1000;
    const stale = path.join(folder, 'facts-0123456789abcdef.bin');
    const inUse = path.join(folder, 'facts-fedcba9876543210.bin');
    for (const file of [stale, inUse]) {
      const store = FactsStore.open(file, 'b');
      store.set('migration', '/p/a.py', 'a', facts);
      store.save();
      fs.utimesSync(file, new Date(Date.now() - month), new Date(Date.now() - month));
    }
    // Opening a store (a run of its project) marks it used even when it has nothing new to write.
    FactsStore.open(inUse, 'b').get('migration', '/p/a.py', 'a');
    const current = FactsStore.open(path.join(folder, 'facts-00000000000000aa.bin'), 'b');
    current.set('migration', '/q/b.py', 'b', facts);
    current.save();
    assert.ok(!fs.existsSync(stale));
    assert.ok(fs.existsSync(inUse));
  });

  it('forgets files no run asked for (deleted or renamed migrations)', () => {
    const file = path.join(folder, 'facts.bin');
    const first = FactsStore.open(file, 'b');
    first.set('migration', '/p/kept.py', 'k', facts);
    first.set('migration', '/p/deleted.py', 'd', facts);
    first.save();
    const second = FactsStore.open(file, 'b');
    assert.ok(second.get('migration', '/p/kept.py', 'k'));
    second.save();
    const third = FactsStore.open(file, 'b');
    assert.ok(third.get('migration', '/p/kept.py', 'k'));
    assert.strictEqual(third.get('migration', '/p/deleted.py', 'd'), undefined);
  });
});
