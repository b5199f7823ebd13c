import type { Span } from '../python/syntax';

/** The operation (an `op.*` call or a SQL string) that made a change, where a finding about it goes. */
export interface ChangeSource {
  phase: 'upgrade' | 'downgrade' | undefined;
  span: Span;
  /** The revision whose migration holds it. */
  revision: string;
}

export interface ColumnState {
  name: string;
  /** The type as written (`sa.String(length=50)`, `varchar(50)`), when known. */
  type: string | undefined;
  nullable: boolean | undefined;
  primaryKey: boolean;
  /** The operation that created the column (undefined: it existed before what we know). */
  createdBy: ChangeSource | undefined;
  /** The last operation that changed its type / its nullability: compared by identity between states. */
  typeChangedBy: ChangeSource | undefined;
  nullableChangedBy: ChangeSource | undefined;
}

export type ConstraintKind = 'primary_key' | 'unique' | 'foreign_key' | 'check' | 'exclude';

/** An index or a constraint: both are matched by name, or by kind, table and columns. */
export interface TableObject {
  family: 'index' | 'constraint';
  /** For an index, `unique` or `index`; for a constraint, its kind. */
  kind: ConstraintKind | 'index';
  /** The name it was created with (explicit or `op.f`). */
  name: string | undefined;
  /** Names the database may have given it when none was written (PostgreSQL's, SQLAlchemy's, common conventions). */
  defaultNames: string[];
  columns: string[];
  /** An expression index or a partial one: its columns do not say all it covers. */
  expressions: boolean;
  unique: boolean;
  referredTable: string | undefined;
  referredColumns: string[];
  createdBy: ChangeSource | undefined;
}

export interface TableState {
  /** `schema.name`, or `name` in the default schema. */
  key: string;
  schema: string | undefined;
  name: string;
  /**
   * True when a migration of the chain created it: its columns and objects are all known.
   * False for a table that existed before what the migrations show (a baseline, `create_all`, another tool).
   */
  complete: boolean;
  temporary: boolean;
  columns: Map<string, ColumnState>;
  objects: TableObject[];
  createdBy: ChangeSource | undefined;
}

export function tableKey(name: string, schema: string | undefined): string {
  return schema ? `${schema}.${name}` : name;
}

/** A lookup walks at most this many parents before a state copies its tables into one map. */
const MAX_OVERLAY_DEPTH = 48;

/**
 * The tables of a database at one point of the chain. A state is never changed once another
 * derives from it: `derive()` makes a child that holds only the tables it changes and asks its
 * parent for the others (copy on write), as revisions share their parent's tables; every
 * MAX_OVERLAY_DEPTH generations a state flattens its ancestry into one map.
 */
export class SchemaState {
  private readonly local = new Map<string, TableState | null>();
  private readonly owned = new Set<TableState>();
  private readonly parent: SchemaState | undefined;
  private readonly depth: number;

  /**
   * Every table a foreign key of this state's line ever referred to (shared by the states derived
   * from one another, so a superset): a drop of anything else needs no search for the foreign
   * keys pointing at it.
   */
  readonly referredTables: Set<string>;
  /**
   * The tables (keys) each index or constraint name was ever seen on in this state's line, by its
   * name and its default names, lower case (shared like `referredTables`, so a superset): a drop
   * that names no table (`DROP INDEX ix_…`) looks there instead of through every table.
   */
  readonly objectTables: Map<string, Set<string>>;

  private constructor(
    parent: SchemaState | undefined,
    /** False when the chain's first state is not known to be empty (a baseline, `create_all`, tables no migration created). */
    public closedWorld: boolean,
    shared?: Pick<SchemaState, 'referredTables' | 'objectTables'>,
  ) {
    this.referredTables = shared?.referredTables ?? parent?.referredTables ?? new Set();
    this.objectTables = shared?.objectTables ?? parent?.objectTables ?? new Map();
    if (parent && parent.depth + 1 >= MAX_OVERLAY_DEPTH) {
      // Tombstones are kept too: a table the chain dropped is known to be gone.
      for (const [key, table] of parent.entries()) this.local.set(key, table);
      this.parent = undefined;
      this.depth = 0;
    } else {
      this.parent = parent;
      this.depth = parent ? parent.depth + 1 : 0;
    }
  }

  static empty(): SchemaState {
    return new SchemaState(undefined, true);
  }

  /** The union of parents' states (a merge revision). */
  static merged(parents: SchemaState[]): SchemaState {
    if (parents.length === 1) return parents[0].derive();
    // The lookup indexes are supersets: the first parent's serve the merge, with the others' added (a shared map costs nothing to copy).
    const state = new SchemaState(undefined, parents.every((p) => p.closedWorld), parents[0]);
    for (const parent of parents) {
      for (const [key, table] of parent.tables) if (!state.local.has(key)) state.local.set(key, table);
      if (parent.referredTables !== state.referredTables) for (const table of parent.referredTables) state.referredTables.add(table);
      if (parent.objectTables !== state.objectTables) for (const [name, keys] of parent.objectTables) for (const key of keys) state.noteObjectName(name, key);
    }
    return state;
  }

  derive(): SchemaState {
    return new SchemaState(this, this.closedWorld);
  }

  /** Every table (walks the ancestry: for comparisons, not for lookups). */
  get tables(): ReadonlyMap<string, TableState> {
    const all = new Map<string, TableState>();
    for (const [key, table] of this.entries()) if (table) all.set(key, table);
    return all;
  }

  /** Every table, and a tombstone (null) for each one the chain dropped or renamed away. */
  private entries(): Map<string, TableState | null> {
    const all = new Map<string, TableState | null>();
    const chain: SchemaState[] = [];
    for (let state: SchemaState | undefined = this; state; state = state.parent) chain.push(state);
    for (let i = chain.length - 1; i >= 0; i--) for (const [key, table] of chain[i].local) all.set(key, table);
    return all;
  }

  /** Whether a migration of the chain dropped (or renamed away) this table and none re-created it. */
  wasRemoved(name: string, schema?: string): boolean {
    const key = tableKey(name, schema);
    for (let state: SchemaState | undefined = this; state; state = state.parent) {
      const table = state.local.get(key);
      if (table !== undefined) return table === null;
    }
    return false;
  }

  noteObjectName(name: string, key: string): void {
    let keys = this.objectTables.get(name);
    if (!keys) this.objectTables.set(name, (keys = new Set()));
    keys.add(key);
  }

  /** The tables now holding an object that has, or may have by default, this name (lower case). */
  tablesWithObjectNamed(name: string): TableState[] {
    return [...(this.objectTables.get(name) ?? [])].map((key) => this.get(key)).filter((t): t is TableState => !!t && t.objects.some((o) => o.name?.toLowerCase() === name || o.defaultNames.includes(name)));
  }

  /** Keys of the tables this state changed against its parent. */
  get changedKeys(): Iterable<string> {
    return this.local.keys();
  }

  private get(key: string): TableState | undefined {
    for (let state: SchemaState | undefined = this; state; state = state.parent) {
      const table = state.local.get(key);
      if (table !== undefined) return table ?? undefined;
    }
    return undefined;
  }

  table(name: string, schema?: string): TableState | undefined {
    return this.get(tableKey(name, schema));
  }

  tableByKey(key: string): TableState | undefined {
    return this.get(key);
  }

  /** The table to change in this state: a private copy on first write. */
  writable(name: string, schema?: string): TableState | undefined {
    const key = tableKey(name, schema);
    const table = this.get(key);
    if (!table || this.owned.has(table)) return table;
    const copy: TableState = { ...table, columns: new Map(table.columns), objects: [...table.objects] };
    this.owned.add(copy);
    this.local.set(key, copy);
    return copy;
  }

  /** A table that must exist for an operation to touch it: one no migration created pre-existed, and the world is open. */
  touched(name: string, schema?: string): TableState {
    const existing = this.writable(name, schema);
    if (existing) return existing;
    this.closedWorld = false;
    return this.put({ key: tableKey(name, schema), schema, name, complete: false, temporary: false, columns: new Map(), objects: [], createdBy: undefined });
  }

  put(table: TableState): TableState {
    this.owned.add(table);
    this.local.set(table.key, table);
    return table;
  }

  remove(name: string, schema?: string): TableState | undefined {
    const key = tableKey(name, schema);
    const table = this.get(key);
    this.local.set(key, null);
    return table;
  }
}
