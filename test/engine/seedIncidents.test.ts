import * as assert from 'assert';
import { FixtureProject } from '../support/fixtureProject';

describe('the bundled sample project (seed incidents 000 and 001)', () => {
  let project: FixtureProject;
  before(() => (project = FixtureProject.copyOf('sample-project')));
  after(() => project.dispose());

  it('reports exactly the two incidents, on the migration, the model, the models package and env.py', async () => {
    assert.deepStrictEqual(await project.summary(), [
      'alembic/env.py:42 AG204',
      'alembic/versions/29672f48c359_add_subscriptions.py:24 AG202',
      'alembic/versions/82233f5589d3_add_receipt_notes.py:22 AG206',
      'alembic/versions/82233f5589d3_add_receipt_notes.py:23 AG203',
      'alembic/versions/82233f5589d3_add_receipt_notes.py:24 AG203',
      'alembic/versions/82233f5589d3_add_receipt_notes.py:25 AG203',
      'alembic/versions/82233f5589d3_add_receipt_notes.py:26 AG203',
      'app/models/__init__.py:7 AG201',
      'app/models/journey_template.py:12 AG201',
    ]);
  });

  it('names the unregistered model and its file in the drop finding', async () => {
    const finding = (await project.analyze()).find((f) => f.code === 'AG202')!;
    assert.match(finding.message, /"journey_templates", the table of model JourneyTemplate \(app\/models\/journey_template\.py\)/);
    assert.strictEqual(finding.severity, 'error');
  });
});
