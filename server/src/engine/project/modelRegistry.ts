import type { Span } from '../python/syntax';
import { DECLARATIVE_BASE_CLASSES, PythonModuleFacts, TablenameRule } from './pythonModule';

/** A table the application defines: a mapped class or a `Table("name", metadata, ...)`. */
export interface ModelDefinition {
  kind: 'class' | 'table';
  /** Class name, or the table name for `Table(...)`. */
  name: string;
  /** Undefined when a base class derives it (`@declared_attr __tablename__`). */
  tablename: string | undefined;
  /** The table's schema (`__table_args__`, `Table(..., schema=)`); undefined: the default schema. */
  schema: string | undefined;
  file: string;
  span: Span;
}

/**
 * Finds the mapped classes among all classes of the scanned modules: a class is mapped when
 * it names a table (`__tablename__`, `__table__`, SQLModel's `table=True`), or when it
 * descends from a declarative base and declares columns; abstract bases and mixins are not.
 */
export function findModels(modules: Map<string, PythonModuleFacts>): ModelDefinition[] {
  const declarative = new Set<string>(DECLARATIVE_BASE_CLASSES);
  const flaskDatabases = new Set<string>();
  for (const facts of modules.values()) for (const name of facts.declarativeBaseNames) {
    declarative.add(name);
    flaskDatabases.add(name);
  }
  const descendsFromBase = (bases: string[]) =>
    bases.some((base) => {
      const parts = base.split('.');
      if (parts.length === 2 && flaskDatabases.has(parts[0]) && parts[1] === 'Model') return true;
      return declarative.has(parts[parts.length - 1]);
    });
  // Grow the set of declarative classes to a fixpoint: abstract bases and mapped parents pass it on.
  for (let changed = true; changed; ) {
    changed = false;
    for (const facts of modules.values()) for (const cls of facts.classes) {
      if (!declarative.has(cls.name) && (descendsFromBase(cls.bases) || cls.tablename !== undefined)) {
        declarative.add(cls.name);
        changed = true;
      }
    }
  }
  // `@declared_attr __tablename__` on a base: the rule its subclasses' names follow, found through their bases.
  const rules = new Map<string, TablenameRule>();
  for (const facts of modules.values()) for (const cls of facts.classes) if (cls.tablenameRule) rules.set(cls.name, cls.tablenameRule);
  const classesByName = new Map<string, { bases: string[] }>();
  for (const facts of modules.values()) for (const cls of facts.classes) if (!classesByName.has(cls.name)) classesByName.set(cls.name, cls);
  const inheritedRule = (bases: string[], seen = new Set<string>()): TablenameRule | undefined => {
    for (const base of bases) {
      const name = base.split('.').pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const rule = rules.get(name) ?? inheritedRule(classesByName.get(name)?.bases ?? [], seen);
      if (rule) return rule;
    }
    return undefined;
  };
  const models: ModelDefinition[] = [];
  for (const [file, facts] of modules) {
    for (const cls of facts.classes) {
      if (cls.abstract) continue;
      const sqlModelTable = cls.declaresTable && cls.bases.some((b) => b.endsWith('SQLModel'));
      const mapped =
        cls.tablename !== undefined || cls.declaresTable || (descendsFromBase(cls.bases) && cls.hasMappedAttributes && !isBaseDefinition(cls.bases));
      if (!mapped) continue;
      const flaskModel = cls.bases.some((b) => {
        const parts = b.split('.');
        return parts.length === 2 && flaskDatabases.has(parts[0]) && parts[1] === 'Model';
      });
      const rule = cls.tablename === undefined ? (cls.tablenameRule ?? inheritedRule(cls.bases)) : undefined;
      models.push({
        kind: 'class',
        name: cls.name,
        tablename:
          cls.tablename ??
          (rule ? derivedTablename(cls.name, rule) : sqlModelTable ? cls.name.toLowerCase() : flaskModel && cls.hasMappedAttributes ? snakeCase(cls.name) : undefined),
        schema: cls.schema,
        file,
        span: cls.nameSpan,
      });
    }
    for (const call of facts.tableCalls) models.push({ kind: 'table', name: call.table, tablename: call.table, schema: call.schema, file, span: call.span });
  }
  return models;
}

/** The name a `@declared_attr __tablename__` rule gives a class; undefined for a rule not read. */
function derivedTablename(className: string, rule: TablenameRule): string | undefined {
  switch (rule) {
    case 'lower':
      return className.toLowerCase();
    case 'name':
      return className;
    case 'lower-plural':
      return `${className.toLowerCase()}s`;
    case 'snake':
      return snakeCase(className);
    case 'snake-plural':
      return `${snakeCase(className)}s`;
    default:
      return undefined;
  }
}

/** Flask-SQLAlchemy's default __tablename__: CamelCase → camel_case. */
function snakeCase(name: string): string {
  return name.replace(/((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))/g, '_$1').toLowerCase().replace(/^_+/, '');
}

/** `class Base(DeclarativeBase)` defines the base itself, never a table. */
function isBaseDefinition(bases: string[]): boolean {
  return bases.some((b) => DECLARATIVE_BASE_CLASSES.has(b.split('.').pop()!) && b.split('.').pop() !== 'SQLModel');
}
