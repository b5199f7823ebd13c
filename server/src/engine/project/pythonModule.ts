import type { Node, Tree } from 'web-tree-sitter';
import { firstSyntaxError, SyntaxErrorPlace } from '../python/syntaxError';
import { callArguments, descendants, dottedName, literalValue, Span, spanOf } from '../python/syntax';
import { NamingConvention, readNamingConvention } from '../schema/namingConvention';

export interface ImportStatement {
  /**
   * Dotted modules as written (without a relative import's leading dots): the one after
   * `from`, or each module of `import a, b.c`.
   */
  modules: string[];
  /** Number of leading dots of a relative import. */
  level: number;
  /** Imported names for `from … import a, b`; '*' for a star import; empty for plain `import`. */
  names: string[] | '*';
  /** The local names bound, for `import a.b as c` and `from x import y as z`. */
  bindings: Map<string, string>;
  /** Under `if TYPE_CHECKING:`: never runs. */
  typeCheckingOnly: boolean;
  /** The top-level function whose body holds the import (it runs only when that function is called). */
  inFunction: string | undefined;
  span: Span;
}

/** A class that SQLAlchemy may map to a table (decided with the whole project in view). */
export interface ClassFacts {
  name: string;
  /** Base classes as written (`Base`, `db.Model`, `SQLModel`). */
  bases: string[];
  tablename: string | undefined;
  /** `__table_args__ = {"schema": "billing"}` (or a tuple ending with such a dict): the table's schema. */
  schema: string | undefined;
  /**
   * A `@declared_attr __tablename__` the class defines for its subclasses: how it derives a name
   * from the class name (`cls.__name__.lower()`), or "unknown" for a rule not read.
   */
  tablenameRule: TablenameRule | undefined;
  /** `table=True` (SQLModel) or `__table__ = Table(...)`: a table whatever the base. */
  declaresTable: boolean;
  abstract: boolean;
  /** Has `Column(...)`/`mapped_column(...)`/`relationship(...)` attributes. */
  hasMappedAttributes: boolean;
  nameSpan: Span;
}

export type TablenameRule = 'lower' | 'name' | 'lower-plural' | 'snake' | 'snake-plural' | 'unknown';

/** What the common `@declared_attr __tablename__` bodies return, by the text of their return value. */
function tablenameRuleOf(returned: string): TablenameRule {
  const text = returned.replace(/\s+/g, '');
  if (/^cls\.__name__\.lower\(\)$/.test(text)) return 'lower';
  if (/^cls\.__name__$/.test(text)) return 'name';
  if (/^cls\.__name__\.lower\(\)\+["']s["']$/.test(text) || /^f["']\{cls\.__name__\.lower\(\)\}s["']$/.test(text)) return 'lower-plural';
  // `re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()` and snake-case helpers.
  if (/cls\.__name__/.test(text) && /(snake|re\.sub|camel)/i.test(text)) return /["']s["']\)?$|\+["']s["']$/.test(text) ? 'snake-plural' : 'snake';
  return 'unknown';
}

export interface TableCallFacts {
  table: string;
  /** `Table("invoices", metadata, ..., schema="billing")`. */
  schema: string | undefined;
  span: Span;
}

export interface ListLiteral {
  items: string[];
  span: Span;
  /** Offset of the closing bracket; the end of the last item (undefined when empty). */
  closeBracket: number;
  lastItemEnd: number | undefined;
  /** Items on their own lines, indented by `itemIndent`. */
  multiline: boolean;
  itemIndent: string;
}

export interface PythonModuleFacts {
  imports: ImportStatement[];
  /** importlib.import_module / __import__ / pkgutil walks: what loads cannot be known statically. */
  dynamicImports: boolean;
  /** Plain names this module calls (`create_app()`): imported functions that run when it runs. */
  calledNames: Set<string>;
  classes: ClassFacts[];
  tableCalls: TableCallFacts[];
  /** Names bound to a declarative base object (`Base = declarative_base()`, `db = SQLAlchemy()`). */
  declarativeBaseNames: string[];
  all: ListLiteral | undefined;
  /** Offset at the end of the last top-level import statement (or the docstring), for inserting imports. */
  importInsertionPoint: number;
  comments: { text: string; span: Span }[];
  hasSyntaxErrors: boolean;
  syntaxError: SyntaxErrorPlace | undefined;
  /** The MetaData naming convention this module writes out (`MetaData(naming_convention={...})`), if any. */
  namingConvention: NamingConvention | undefined;
}

export const DECLARATIVE_BASE_CLASSES = new Set(['DeclarativeBase', 'DeclarativeBaseNoMeta', 'SQLModel']);
const DECLARATIVE_BASE_FACTORIES = /(^|\.)(declarative_base|generate_base|as_declarative_base)$/;
const FLASK_SQLALCHEMY = /(^|\.)SQLAlchemy$/;
const MAPPED_ATTRIBUTE = /(^|\.)(Column|mapped_column|relationship|column_property|Field|Relationship|composite|synonym)$/;
const DYNAMIC_IMPORT = /(^|\.)(import_module|__import__|walk_packages|iter_modules|load_module|exec_module|run_path)$/;

export function readPythonModule(tree: Tree, text: string): PythonModuleFacts {
  const root = tree.rootNode;
  const facts: PythonModuleFacts = {
    imports: [],
    dynamicImports: false,
    calledNames: new Set(),
    classes: [],
    tableCalls: [],
    declarativeBaseNames: [],
    all: undefined,
    importInsertionPoint: 0,
    comments: [],
    hasSyntaxErrors: root.hasError,
    syntaxError: firstSyntaxError(root),
    namingConvention: text.includes('naming_convention') ? readNamingConvention(text) : undefined,
  };
  const first = root.namedChildren.find((c) => c && c.type !== 'comment');
  if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') facts.importInsertionPoint = first.endIndex;
  const kinds = ['import_statement', 'import_from_statement', 'future_import_statement', 'call', 'class_definition', 'assignment', 'comment'];
  for (const node of root.descendantsOfType(kinds)) {
    if (!node) continue;
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        facts.imports.push(readImportStatement(node));
        if (node.parent?.type === 'module') facts.importInsertionPoint = node.endIndex;
        break;
      case 'call': {
        const callee = dottedName(node.childForFieldName('function')) ?? '';
        if (DYNAMIC_IMPORT.test(callee)) facts.dynamicImports = true;
        if (callee && !callee.includes('.')) facts.calledNames.add(callee);
        if (/(^|\.)Table$/.test(callee)) {
          const table = literalValue(callArguments(node).positional[0]);
          const schema = literalValue(callArguments(node).keywords.get('schema'));
          if (typeof table === 'string') facts.tableCalls.push({ table, schema: typeof schema === 'string' ? schema : undefined, span: spanOf(node) });
        }
        break;
      }
      case 'class_definition':
        facts.classes.push(readClass(node));
        break;
      case 'assignment':
        readAssignment(node, facts);
        break;
      case 'comment':
        facts.comments.push({ text: node.text, span: spanOf(node) });
        break;
    }
  }
  return facts;
}

/**
 * `place` says where the statement sits when the caller knows it (a module-level import is in
 * no function and under no `if TYPE_CHECKING:`); otherwise it is found from the node's parents.
 */
export function readImportStatement(node: Node, place?: { typeCheckingOnly: boolean; inFunction: string | undefined }): ImportStatement {
  const bindings = new Map<string, string>();
  const common = { typeCheckingOnly: place?.typeCheckingOnly ?? isTypeCheckingOnly(node), inFunction: place ? place.inFunction : isInFunction(node), span: spanOf(node) };
  if (node.type === 'import_statement') {
    const modules: string[] = [];
    for (const child of node.namedChildren) {
      if (!child) continue;
      const dotted = (child.type === 'aliased_import' ? child.childForFieldName('name')?.text : child.text) ?? '';
      const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : undefined;
      // `import a.b` binds `a`; `import a.b as c` binds `c` to a.b.
      bindings.set(alias ?? dotted.split('.')[0], alias ? dotted : dotted.split('.')[0]);
      modules.push(dotted);
    }
    return { modules, level: 0, names: [], bindings, ...common };
  }
  let module = '';
  let level = 0;
  const moduleNode = node.childForFieldName('module_name');
  if (moduleNode?.type === 'relative_import') {
    level = moduleNode.children.find((c) => c?.type === 'import_prefix')?.text.length ?? 0;
    module = moduleNode.namedChildren.find((c) => c?.type === 'dotted_name')?.text ?? '';
  } else {
    module = moduleNode?.text ?? '';
  }
  if (node.namedChildren.some((c) => c?.type === 'wildcard_import')) {
    return { modules: [module], level, names: '*', bindings, ...common };
  }
  const names: string[] = [];
  for (const child of node.childrenForFieldName('name')) {
    if (!child) continue;
    const name = child.type === 'aliased_import' ? child.childForFieldName('name')?.text : child.text;
    const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : undefined;
    if (!name) continue;
    names.push(name);
    bindings.set(alias ?? name, name);
  }
  return { modules: [module], level, names, bindings, ...common };
}

function isTypeCheckingOnly(node: Node): boolean {
  for (let child: Node = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type !== 'if_statement') continue;
    const condition = parent.childForFieldName('condition');
    const consequence = parent.childForFieldName('consequence');
    if (condition && /^(typing\.)?TYPE_CHECKING$/.test(condition.text) && consequence?.id === child.id) return true;
  }
  return false;
}

function isInFunction(node: Node): string | undefined {
  let outermost: Node | undefined;
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'function_definition') outermost = parent;
  }
  return outermost ? (outermost.childForFieldName('name')?.text ?? '<function>') : undefined;
}

function readClass(node: Node): ClassFacts {
  const bases: string[] = [];
  let declaresTable = false;
  for (const argument of node.childForFieldName('superclasses')?.namedChildren ?? []) {
    if (!argument) continue;
    if (argument.type === 'keyword_argument') {
      if (argument.childForFieldName('name')?.text === 'table' && argument.childForFieldName('value')?.type === 'true') declaresTable = true;
      continue;
    }
    const name = dottedName(argument) ?? dottedName(argument.type === 'subscript' ? argument.childForFieldName('value') : null);
    if (name) bases.push(name);
  }
  let tablename: string | undefined;
  let schema: string | undefined;
  let tablenameRule: TablenameRule | undefined;
  let abstract = false;
  let hasMappedAttributes = false;
  for (const statement of node.childForFieldName('body')?.namedChildren ?? []) {
    if (statement?.type === 'decorated_definition' && /declared_attr/.test(statement.namedChildren.filter((c) => c?.type === 'decorator').map((c) => c!.text).join(' '))) {
      const definition = statement.childForFieldName('definition');
      if (definition?.childForFieldName('name')?.text === '__tablename__') {
        const returned = definition.childForFieldName('body')?.namedChildren.find((c) => c?.type === 'return_statement')?.namedChildren[0]?.text;
        tablenameRule = returned ? tablenameRuleOf(returned) : 'unknown';
      }
      continue;
    }
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const target = assignment.childForFieldName('left')?.text;
    const value = assignment.childForFieldName('right');
    if (target === '__tablename__') {
      const literal = literalValue(value);
      if (typeof literal === 'string') tablename = literal;
    } else if (target === '__table_args__' && value) {
      schema = /["']schema["']\s*:\s*["']([\w$]+)["']/.exec(value.text)?.[1];
    } else if (target === '__abstract__' && value?.type === 'true') {
      abstract = true;
    } else if (target === '__table__') {
      declaresTable = true;
    } else if (target === '__mapper_args__' && value && /["']polymorphic_abstract["']\s*:\s*True/.test(value.text)) {
      abstract = true;
    } else if (value?.type === 'call' && MAPPED_ATTRIBUTE.test(dottedName(value.childForFieldName('function')) ?? '')) {
      hasMappedAttributes = true;
    }
  }
  const nameNode = node.childForFieldName('name')!;
  return { name: nameNode.text, bases, tablename, schema, tablenameRule, declaresTable, abstract, hasMappedAttributes, nameSpan: spanOf(nameNode) };
}

function readAssignment(node: Node, facts: PythonModuleFacts): void {
  if (node.parent?.parent?.type !== 'module') return;
  const target = node.childForFieldName('left');
  const value = node.childForFieldName('right');
  if (target?.type !== 'identifier' || !value) return;
  if (value.type === 'call') {
    const callee = dottedName(value.childForFieldName('function')) ?? '';
    if (DECLARATIVE_BASE_FACTORIES.test(callee) || FLASK_SQLALCHEMY.test(callee)) facts.declarativeBaseNames.push(target.text);
  }
  if (target.text === '__all__') facts.all = readListLiteral(value);
}

export function readListLiteral(node: Node): ListLiteral | undefined {
  if (node.type !== 'list' && node.type !== 'tuple' && node.type !== 'set') return undefined;
  const items: string[] = [];
  const elements = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
  for (const element of elements) {
    const value = literalValue(element);
    if (typeof value === 'string') items.push(value);
  }
  const close = node.children[node.children.length - 1];
  const last = elements[elements.length - 1];
  const multiline = elements.length > 0 && elements[0].startPosition.row !== node.startPosition.row;
  return {
    items,
    span: spanOf(node),
    closeBracket: close ? close.startIndex : node.endIndex,
    lastItemEnd: last?.endIndex,
    multiline,
    itemIndent: multiline ? ' '.repeat(elements[0].startPosition.column) : '',
  };
}

