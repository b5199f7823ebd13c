import * as assert from 'assert';
import { fastApiProject, FixtureProject, modelSource } from '../support/fixtureProject';

describe('AG201 model-not-registered', () => {
  let project: FixtureProject | undefined;
  afterEach(() => project?.dispose());

  const ag201 = async (p: FixtureProject) => (await p.summary()).filter((line) => line.endsWith('AG201'));

  it('reports a model whose module nothing imports, on the class and in the models __init__.py', async () => {
    project = fastApiProject({
      models: { 'user.py': modelSource('User', 'users'), 'journey_template.py': modelSource('JourneyTemplate', 'journey_templates') },
      modelsInit: 'from app.models.base import Base\nfrom app.models.user import User\n\n__all__ = ["Base", "User"]\n',
    });
    assert.deepStrictEqual(await ag201(project), ['app/models/__init__.py:4 AG201', 'app/models/journey_template.py:7 AG201']);
  });

  it('knows the table names a base derives with @declared_attr, and names the unregistered model whose table a migration drops', async () => {
    const base = 'from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column\n\n\nclass Base(DeclarativeBase):\n    @declared_attr.directive\n    def __tablename__(cls) -> str:\n        return cls.__name__.lower()\n\n    id: Mapped[int] = mapped_column(primary_key=True)\n';
    const model = (name: string) => `from sqlalchemy import String\nfrom sqlalchemy.orm import Mapped, mapped_column\n\nfrom app.models.base import Base\n\n\nclass ${name}(Base):\n    name: Mapped[str] = mapped_column(String(100))\n`;
    project = fastApiProject({
      models: { 'base.py': base, 'user.py': model('User'), 'journey_template.py': model('JourneyTemplate') },
      modelsInit: 'from app.models.base import Base\nfrom app.models.user import User\n\n__all__ = ["Base", "User"]\n',
    });
    project.addMigration({ revision: 'da0000000001', downRevision: null, message: 'create tables', upgrade: ["op.create_table('user', sa.Column('id', sa.Integer(), nullable=False))", "op.create_table('journeytemplate', sa.Column('id', sa.Integer(), nullable=False))"], downgrade: ["op.drop_table('journeytemplate')", "op.drop_table('user')"] });
    project.addMigration({ revision: 'da0000000002', downRevision: 'da0000000001', message: 'autogenerate', upgrade: ["op.drop_table('journeytemplate')"], downgrade: ["op.create_table('journeytemplate', sa.Column('id', sa.Integer(), nullable=False))"] });
    const findings = await project.analyze();
    assert.deepStrictEqual((await ag201(project)).length, 2);
    const drop = findings.find((f) => f.code === 'AG202');
    assert.ok(drop, findings.map((f) => f.code).join(','));
    assert.match(drop.message, /"journeytemplate", the table of model JourneyTemplate/);
  });

  it('registers a model where env.py collects them: the base module that imports each model, not the models package', async () => {
    const sample = fastApiProject();
    const env = sample.read('alembic/env.py').replace('from app.models import Base', 'from app.db.base import Base');
    sample.dispose();
    project = fastApiProject({
      env,
      models: { 'user.py': modelSource('User', 'users'), 'item.py': modelSource('Item', 'items'), 'invoice.py': modelSource('Invoice', 'invoices') },
      modelsInit: '',
    });
    project.write('app/db/__init__.py', '');
    project.write('app/db/base.py', '# Import all the models, so that Base has them before being imported by Alembic\nfrom app.models.base import Base  # noqa\nfrom app.models.item import Item  # noqa\nfrom app.models.user import User  # noqa\n');
    project.addMigration({ revision: 'e3330000001a', downRevision: null, message: 'create tables', upgrade: ["op.create_table('users', sa.Column('id', sa.Integer(), nullable=False))", "op.create_table('invoices', sa.Column('id', sa.Integer(), nullable=False))"], downgrade: ["op.drop_table('invoices')", "op.drop_table('users')"] });
    project.addMigration({ revision: 'e3330000002a', downRevision: 'e3330000001a', message: 'autogenerate', upgrade: ["op.drop_table('invoices')"], downgrade: ["op.create_table('invoices', sa.Column('id', sa.Integer(), nullable=False))"] });
    const findings = await project.analyze();
    const drop = findings.find((f) => f.code === 'AG202');
    assert.ok(drop, findings.map((f) => f.code).join(','));
    assert.match(drop.message, /"invoices", the table of model Invoice/);
    for (const finding of [drop, findings.find((f) => f.code === 'AG201' && f.file.endsWith('invoice.py'))!]) {
      const register = finding.fixes.find((f) => /^Register Invoice in app\/db\/base\.py/.test(f.title) && f.edits.some((e) => e.file.endsWith('base.py')));
      assert.ok(register, finding.fixes.map((f) => f.title).join(' | '));
      assert.deepStrictEqual(register.edits.map((e) => e.file.replace(project!.root, '')).filter((f) => !f.includes('versions')), ['/app/db/base.py']);
    }
    project.apply(drop.fixes.find((f) => f.edits.some((e) => e.file.endsWith('app/db/base.py')))!);
    assert.match(project.read('app/db/base.py'), /from app\.models\.user import User  # noqa\nfrom app\.models\.invoice import Invoice  # noqa: F401\n?$/);
    const after = await project.analyze();
    assert.deepStrictEqual(after.filter((f) => f.code === 'AG201' || f.code === 'AG202'), []);
  });

  it("knows Flask-SQLAlchemy's automatic table names: the drop of post_comment names the unregistered PostComment", async () => {
    project = FixtureProject.fromFiles({
      'app/__init__.py': 'from flask import Flask\n\nfrom app.extensions import db, migrate\n\n\ndef create_app():\n    app = Flask(__name__)\n    db.init_app(app)\n    migrate.init_app(app, db)\n    from app import models  # noqa: F401\n    return app\n',
      'app/extensions.py': 'from flask_migrate import Migrate\nfrom flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\nmigrate = Migrate()\n',
      'app/models.py': 'from app.extensions import db\n\n\nclass BlogPost(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n',
      'app/comments.py': 'from app.extensions import db\n\n\nclass PostComment(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    post_id = db.Column(db.Integer, db.ForeignKey("blog_post.id"))\n',
      'migrations/alembic.ini': '# A generic, single database configuration.\n\n[alembic]\n\n[loggers]\nkeys = root\n',
      'migrations/env.py': 'from alembic import context\n\nfrom app import create_app\nfrom app.extensions import db\n\napp = create_app()\ntarget_metadata = db.metadata\n',
    });
    project.addMigration({ revision: 'f4440000001a', downRevision: null, message: 'create posts and comments', upgrade: ["op.create_table('blog_post', sa.Column('id', sa.Integer(), nullable=False))", "op.create_table('post_comment', sa.Column('id', sa.Integer(), nullable=False))"], downgrade: ["op.drop_table('post_comment')", "op.drop_table('blog_post')"] }, 'migrations/versions');
    project.addMigration({ revision: 'f4440000002a', downRevision: 'f4440000001a', message: 'autogenerate', upgrade: ["op.drop_table('post_comment')"], downgrade: ["op.create_table('post_comment', sa.Column('id', sa.Integer(), nullable=False))"] }, 'migrations/versions');
    const findings = await project.analyze();
    const drop = findings.find((f) => f.code === 'AG202');
    assert.ok(drop, findings.map((f) => f.code).join(','));
    assert.match(drop.message, /"post_comment", the table of model PostComment \(app\/comments\.py\)/);
    assert.ok(drop.fixes.some((f) => f.title === 'Register PostComment in app/__init__.py'), drop.fixes.map((f) => f.title).join(' | '));
  });

  it('tells a table of another schema apart: the drop of billing.invoices names the unregistered billing model, not the loaded public one', async () => {
    project = fastApiProject({
      models: {
        'invoice.py': modelSource('Invoice', 'invoices'),
        'billing_invoice.py': modelSource('BillingInvoice', 'invoices', '    __table_args__ = {"schema": "billing"}\n'),
      },
      modelsInit: 'from app.models.base import Base\nfrom app.models.invoice import Invoice\n\n__all__ = ["Base", "Invoice"]\n',
    });
    project.addMigration({ revision: 'b1110000001a', downRevision: null, message: 'create invoices', upgrade: ["op.create_table('invoices', sa.Column('id', sa.Integer(), nullable=False))", "op.create_table('invoices', sa.Column('id', sa.Integer(), nullable=False), schema='billing')"], downgrade: ["op.drop_table('invoices', schema='billing')", "op.drop_table('invoices')"] });
    project.addMigration({ revision: 'b1110000002a', downRevision: 'b1110000001a', message: 'autogenerate', upgrade: ["op.drop_table('invoices', schema='billing')"], downgrade: ["op.create_table('invoices', sa.Column('id', sa.Integer(), nullable=False), schema='billing')"] });
    const found = (await project.analyze()).filter((f) => f.file.includes('b1110000002a') && f.code.startsWith('AG'));
    const drop = found.find((f) => f.code === 'AG202');
    assert.ok(drop, found.map((f) => f.code).join(','));
    assert.match(drop.message, /^upgrade\(\) drops "billing\.invoices", the table of model BillingInvoice/);
    assert.ok(!found.some((f) => f.code === 'AG101'));
  });

  it('counts an import under `if TYPE_CHECKING:` as loading nothing', async () => {
    project = fastApiProject({
      models: { 'user.py': modelSource('User', 'users') },
      modelsInit: 'from typing import TYPE_CHECKING\n\nfrom app.models.base import Base\n\nif TYPE_CHECKING:\n    from app.models.user import User\n',
    });
    assert.deepStrictEqual(await ag201(project), ['app/models/__init__.py:3 AG201', 'app/models/user.py:7 AG201']);
  });

  it('follows star imports through a registry module (empty __init__ style)', async () => {
    project = fastApiProject({
      models: {
        'user.py': modelSource('User', 'users'),
        'order.py': modelSource('Order', 'orders'),
        '_all_models.py': 'from .user import *  # noqa\nfrom .order import *  # noqa\n',
      },
      modelsInit: 'from .base import Base\nfrom ._all_models import *  # noqa: F401,F403\n',
    });
    assert.deepStrictEqual(await ag201(project), []);
  });

  it('follows `from package import module` and nested packages with relative imports', async () => {
    project = fastApiProject({
      models: {
        'billing/__init__.py': 'from . import invoice, payment\n',
        'billing/invoice.py': modelSource('Invoice', 'invoices'),
        'billing/payment.py': modelSource('Payment', 'payments'),
      },
      modelsInit: 'from app.models.base import Base\nfrom app.models import billing  # registers billing models\n',
    });
    assert.deepStrictEqual(await ag201(project), []);
  });

  it('does not report single-table-inheritance subclasses, abstract bases or mixins', async () => {
    project = fastApiProject({
      models: {
        'employee.py': `from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class AuditMixin:
    created_by: Mapped[str] = mapped_column(String(64))


class Timestamped(Base):
    __abstract__ = True
    note: Mapped[str] = mapped_column(String(200))


class Employee(AuditMixin, Timestamped):
    __tablename__ = "employees"
    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20))
    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee"}


class Manager(Employee):
    __mapper_args__ = {"polymorphic_identity": "manager"}
`,
      },
      modelsInit: 'from app.models.base import Base\nfrom app.models.employee import Employee, Manager\n',
    });
    assert.deepStrictEqual(await ag201(project), []);
  });

  it('stays silent when env.py imports nothing of the project (Flask-Migrate reads current_app)', async () => {
    project = fastApiProject({
      models: { 'user.py': modelSource('User', 'users') },
      env: `import logging

from flask import current_app

from alembic import context

config = context.config


def get_metadata():
    return current_app.extensions['migrate'].db.metadata


def run_migrations_online():
    connectable = current_app.extensions['migrate'].db.engine
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata())
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
`,
    });
    assert.deepStrictEqual(await ag201(project), []);
  });

  it('stays silent when there is no alembic.ini: the application runs Alembic from its own command, with its models loaded', async () => {
    project = fastApiProject({
      models: { 'user.py': modelSource('User', 'users'), 'journey_template.py': modelSource('JourneyTemplate', 'journey_templates') },
      modelsInit: 'from app.models.base import Base\n\n__all__ = ["Base"]\n',
    });
    assert.strictEqual((await ag201(project)).length, 4, 'with alembic.ini, env.py alone decides what is loaded');
    project.remove('alembic.ini');
    assert.deepStrictEqual(await ag201(project), []);
  });

  it('stays silent when the models package loads its modules dynamically', async () => {
    project = fastApiProject({
      models: { 'user.py': modelSource('User', 'users') },
      modelsInit:
        'import importlib\nimport pkgutil\n\nfrom app.models.base import Base\n\nfor module in pkgutil.iter_modules(__path__):\n    importlib.import_module(f"{__name__}.{module.name}")\n',
    });
    assert.deepStrictEqual(await ag201(project), []);
  });

  it('reports SQLModel tables and Table() definitions too', async () => {
    project = fastApiProject({
      models: {
        'hero.py': 'from sqlmodel import Field, SQLModel\n\n\nclass Hero(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    name: str\n',
        'tags.py': 'import sqlalchemy as sa\n\nfrom app.models.base import Base\n\npost_tags = sa.Table("post_tags", Base.metadata, sa.Column("post_id", sa.Integer()), sa.Column("tag_id", sa.Integer()))\n',
      },
    });
    const lines = await ag201(project);
    assert.ok(lines.includes('app/models/hero.py:4 AG201'), lines.join('\n'));
    assert.ok(lines.includes('app/models/tags.py:5 AG201'), lines.join('\n'));
  });
});
