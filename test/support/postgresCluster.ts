import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** Debian keeps the server binaries out of PATH, per major version. */
function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/pg_ctl'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql');
  return path.join(root, versions[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs a command as the `postgres` user when we are root (initdb refuses root). */
function asPostgres(command: string, args: string[]): string {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A throwaway PostgreSQL on 127.0.0.1 and a free port, stopped by its PID. */
export class PostgresCluster {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly pid: number,
  ) {}

  static async start(): Promise<PostgresCluster> {
    const bin = serverBinaries();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-guard-pg-'));
    fs.chmodSync(dir, 0o777);
    const data = path.join(dir, 'data');
    const sockets = path.join(dir, 'sockets');
    fs.mkdirSync(sockets);
    fs.chmodSync(sockets, 0o777);
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
    const port = await freePort();
    asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${sockets} -c fsync=off`, 'start']);
    const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return new PostgresCluster(port, dir, pid);
  }

  url(database: string): string {
    return `postgresql+psycopg2://postgres@127.0.0.1:${this.port}/${database}`;
  }

  createDatabase(name: string): void {
    this.psql('postgres', `CREATE DATABASE ${name}`);
  }

  /** Runs SQL with psql and returns its unaligned, tuples-only output. */
  psql(database: string, sql: string): string {
    const result = spawnSync('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-X', '-A', '-t', '-c', sql], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout.trim();
  }

  /** Fast shutdown by PID, then the files go. */
  async stop(): Promise<void> {
    try {
      process.kill(this.pid, 'SIGINT');
    } catch {
      // already gone
    }
    for (let i = 0; i < 200 && isAlive(this.pid); i++) await new Promise((r) => setTimeout(r, 50));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
