import * as assert from 'assert';
import { fastApiProject, FixtureProject, modelSource } from '../support/fixtureProject';

describe('model registration on real project shapes', () => {
  let project: FixtureProject;
  afterEach(() => project.dispose());

  const codes = async () => (await project.analyze()).map((f) => f.code);

  it('AG205: env.py imports Base from a module that loads no model, reported once instead of AG201 per model', async () => {
    // The full-stack FastAPI layout: Base in app/db/base_class.py, the models in app/models/.
    const toDb = (text: string) => text.replace('from app.models.base import Base', 'from app.db.base_class import Base');
    project = fastApiProject({
      models: { 'user.py': toDb(modelSource('User', 'users')), 'order.py': toDb(modelSource('Order', 'orders')) },
      modelsInit: 'from app.models.user import User\nfrom app.models.order import Order\n',
    });
    project.write('app/db/__init__.py', '');
    project.write('app/db/base_class.py', 'from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n');
    project.write('alembic/env.py', project.read('alembic/env.py').replace('from app.models import Base', 'from app.db.base_class import Base'));
    const findings = await project.analyze();
    assert.deepStrictEqual(findings.map((f) => f.code), ['AG205']);
    assert.match(findings[0].message, /loads none of the 2 models of app\.models/);
    project.apply(findings[0].fixes[0]);
    assert.match(project.read('alembic/env.py'), /^import app\.models {2}# noqa: F401/m);
    project.assertValidPython('alembic/env.py');
    assert.deepStrictEqual(await codes(), []);
  });

  it('an env.py that calls a loader walking the package with importlib (import_all_models()) may load every model: no AG205', async () => {
    const toDb = (text: string) => text.replace('from app.models.base import Base', 'from app.db.base_class import Base');
    project = fastApiProject({
      models: { 'user.py': toDb(modelSource('User', 'users')), 'order.py': toDb(modelSource('Order', 'orders')) },
      modelsInit: '',
    });
    project.write('app/db/__init__.py', '');
    project.write('app/db/base_class.py', 'from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n');
    project.write('app/db/loading.py', 'import importlib\nimport pkgutil\n\nimport app\n\n\ndef import_all_models():\n    for module in pkgutil.walk_packages(app.__path__, "app."):\n        if ".models" in module.name:\n            importlib.import_module(module.name)\n');
    project.write('alembic/env.py', project.read('alembic/env.py').replace('from app.models import Base', 'from app.db.base_class import Base\nfrom app.db.loading import import_all_models\n\nimport_all_models()'));
    assert.deepStrictEqual(await codes(), []);
  });

  it('a 120-model package with single-table inheritance and TYPE_CHECKING imports everywhere reports nothing', async () => {
    const models: Record<string, string> = {};
    const modules: string[] = [];
    for (let m = 0; m < 40; m++) {
      modules.push(`module_${m}`);
      const other = `module_${(m + 1) % 40}`;
      models[`module_${m}.py`] = `from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from app.models.${other} import Entity${(m + 1) % 40}


class Entity${m}(TimestampMixin, Base):
    __tablename__ = "entity_${m}"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    next_id: Mapped[int | None] = mapped_column(ForeignKey("entity_${(m + 1) % 40}.id"))
    next: Mapped[Entity${(m + 1) % 40} | None] = relationship()

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "base"}


class Special${m}(Entity${m}):
    __mapper_args__ = {"polymorphic_identity": "special"}


class Archived${m}(Entity${m}):
    archived_reason: Mapped[str | None] = mapped_column(String(200))
    __mapper_args__ = {"polymorphic_identity": "archived"}
`;
    }
    // Half registered through a star-import registry module, half imported by name.
    models['_registry.py'] = modules.slice(0, 20).map((m) => `from app.models.${m} import *  # noqa: F401,F403`).join('\n') + '\n';
    const init = ['from app.models.base import Base', 'from app.models._registry import *  # noqa: F401,F403', ...modules.slice(20).map((m, i) => `from app.models.${m} import Entity${i + 20}, Special${i + 20}, Archived${i + 20}`)];
    project = fastApiProject({ models, modelsInit: init.join('\n') + '\n' });
    assert.deepStrictEqual(await codes(), []);
  });

  const FLASK_APP = {
    'app/__init__.py': `from flask import Flask

from app.extensions import db, migrate


def create_app(config_object="app.settings"):
    app = Flask(__name__)
    app.config.from_object(config_object)
    db.init_app(app)
    migrate.init_app(app, db)
    from app import models  # noqa: F401  (registers the models)
    from app.views import bp
    app.register_blueprint(bp)
    return app
`,
    'app/extensions.py': 'from flask_migrate import Migrate\nfrom flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\nmigrate = Migrate()\n',
    'app/models.py': `from app.extensions import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(120), unique=True, nullable=False)


class BlogPost(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    author_id = db.Column(db.Integer, db.ForeignKey("user.id"))
`,
    'app/views.py': 'from flask import Blueprint\n\nbp = Blueprint("main", __name__)\n',
    'migrations/alembic.ini': '# A generic, single database configuration.\n\n[alembic]\n# template used to generate migration files\n# file_template = %%(rev)s_%%(slug)s\n\n[loggers]\nkeys = root\n',
  };

  it("a Flask-Migrate app (env.py reads current_app) reports nothing, and knows Flask-SQLAlchemy's table names", async () => {
    project = FixtureProject.fromFiles({
      ...FLASK_APP,
      'migrations/env.py': 'import logging\n\nfrom flask import current_app\n\nfrom alembic import context\n\nconfig = context.config\n\n\ndef get_metadata():\n    return current_app.extensions["migrate"].db.metadata\n',
    });
    project.addMigration({ revision: 'a1a1a1a1a1a1', downRevision: null, message: 'drop legacy posts', upgrade: ["op.drop_table('blog_post')"], downgrade: [] }, 'migrations/versions');
    const found = await codes();
    assert.ok(!found.includes('AG203'), 'blog_post is the table of BlogPost (Flask-SQLAlchemy names it), not an unmanaged table');
    assert.ok(!found.includes('AG201'));
  });

  it('an env.py that calls the app factory loads what the factory imports', async () => {
    project = FixtureProject.fromFiles({
      ...FLASK_APP,
      'migrations/env.py': 'from alembic import context\n\nfrom app import create_app\nfrom app.extensions import db\n\napp = create_app()\ntarget_metadata = db.metadata\n',
    });
    assert.deepStrictEqual(await codes(), []);
    project.write('app/__init__.py', project.read('app/__init__.py').replace('    from app import models  # noqa: F401  (registers the models)\n', ''));
    const findings = await project.analyze();
    assert.deepStrictEqual(findings.map((f) => f.code), ['AG201', 'AG201', 'AG201', 'AG201'], 'without the factory import, no model is loaded');
    assert.ok(findings.some((f) => f.fixes[0].title === 'Register User in app/__init__.py'));
  });
});
