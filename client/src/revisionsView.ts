import * as vscode from 'vscode';
import type { ProjectRevisions } from './chainStatus';

type Revision = ProjectRevisions['revisions'][number];

/**
 * Rows of the view. Each revision appears once: a history with one head is one list, newest
 * first; with several heads, the revisions only one head reaches are grouped under it, and the
 * history they share is a group of its own.
 */
type Node =
  | { kind: 'project'; project: ProjectRevisions }
  | { kind: 'group'; project: ProjectRevisions; key: string; label: string; description: string; ids: string[] }
  | { kind: 'revision'; project: ProjectRevisions; id: string; group?: string };

const ICONS: Record<string, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

/** "Alembic Revisions" in the Explorer: readable at a thousand revisions, with reveal and go-to. */
export class RevisionsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private projects: ProjectRevisions[] = [];
  private byId = new Map<ProjectRevisions, Map<string, Revision>>();
  private groupsOf = new Map<ProjectRevisions, Extract<Node, { kind: 'group' }>[]>();
  private readonly view: vscode.TreeView<Node>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.view = vscode.window.createTreeView('alembicGuard.revisions', { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(
      this.view,
      vscode.window.onDidChangeActiveTextEditor(() => void this.revealActive()),
      this.view.onDidChangeVisibility(() => void this.revealActive()),
    );
  }

  update(projects: ProjectRevisions[]): void {
    this.projects = projects;
    this.byId = new Map(projects.map((p) => [p, new Map(p.revisions.map((r) => [r.id, r]))]));
    this.groupsOf = new Map(projects.map((p) => [p, groupsOf(p)]));
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.projects.length === 1 ? this.projectChildren(this.projects[0]) : this.projects.map((project) => ({ kind: 'project', project }));
    if (node.kind === 'project') return this.projectChildren(node.project);
    if (node.kind === 'group') return node.ids.map((id) => ({ kind: 'revision', project: node.project, id, group: node.key }));
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'project') return undefined;
    const projectNode: Node | undefined = this.projects.length === 1 ? undefined : { kind: 'project', project: node.project };
    if (node.kind === 'group' || !node.group) return projectNode;
    return this.groupsOf.get(node.project)?.find((g) => g.key === node.group);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'project') {
      const item = new vscode.TreeItem(node.project.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `project:${node.project.name}`;
      item.description = `${node.project.revisions.length} revisions · ${node.project.heads.length} head${node.project.heads.length === 1 ? '' : 's'}`;
      return item;
    }
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.project.name}:${node.key}`;
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon(node.key === 'shared' ? 'git-commit' : 'git-branch');
      return item;
    }
    const revision = this.byId.get(node.project)?.get(node.id);
    const item = new vscode.TreeItem(revision?.message || node.id, vscode.TreeItemCollapsibleState.None);
    // One row per revision: its id is its identity, whatever group shows it.
    item.id = `revision:${node.project.name}:${node.id}`;
    item.description = marksOf(node.project, revision, node.id).join(' · ');
    item.iconPath = new vscode.ThemeIcon(revision?.worst ? ICONS[revision.worst] : 'git-commit');
    if (revision) item.command = { title: 'Open migration', command: 'vscode.open', arguments: [vscode.Uri.parse(revision.uri)] };
    item.tooltip = revision
      ? `${node.id}: ${revision.message}\nparents: ${revision.parents.join(', ') || 'none (a base)'}\nchildren: ${revision.children.join(', ') || 'none (a head)'}${revision.worst ? `\nworst finding: ${revision.worst}` : ''}`
      : node.id;
    item.contextValue = 'revision';
    return item;
  }

  /** "Go to revision": any revision by id or message. */
  async goToRevision(): Promise<void> {
    const picks = this.projects.flatMap((project) =>
      project.revisions.map((r) => ({ label: r.message || r.id, description: marksOf(project, r, r.id).join(' · '), detail: this.projects.length > 1 ? project.name : undefined, uri: r.uri })),
    );
    const chosen = await vscode.window.showQuickPick(picks, { placeHolder: 'Revision id or message', matchOnDescription: true, matchOnDetail: true });
    if (chosen) await vscode.window.showTextDocument(vscode.Uri.parse(chosen.uri));
  }

  /** The revision open in the editor, selected in the view (when the view is shown). */
  private async revealActive(): Promise<void> {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    if (!uri || !this.view.visible) return;
    for (const project of this.projects) {
      const revision = project.revisions.find((r) => r.uri === uri);
      if (!revision) continue;
      const group = this.groupsOf.get(project)?.find((g) => g.ids.includes(revision.id));
      await this.view.reveal({ kind: 'revision', project, id: revision.id, group: group?.key }, { select: true, focus: false }).then(undefined, () => undefined);
      return;
    }
  }

  private projectChildren(project: ProjectRevisions): Node[] {
    const groups = this.groupsOf.get(project) ?? [];
    if (groups.length) return groups;
    return project.revisions.map((r) => ({ kind: 'revision', project, id: r.id }));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

/** What a row says besides its message: the id, and head / merge / branch point / labels. */
function marksOf(project: ProjectRevisions, revision: Revision | undefined, id: string): string[] {
  return [
    id,
    project.heads.includes(id) ? 'head' : '',
    revision && revision.parents.length > 1 ? 'merge' : '',
    revision && revision.children.length > 1 ? 'branch point' : '',
    ...(revision?.branchLabels ?? []).map((l) => `@${l}`),
  ].filter(Boolean);
}

/**
 * With several heads: the revisions only one head reaches, one group per head (newest first),
 * then what they share. With one head: no groups, one list.
 */
function groupsOf(project: ProjectRevisions): Extract<Node, { kind: 'group' }>[] {
  if (project.heads.length < 2) return [];
  const byId = new Map(project.revisions.map((r) => [r.id, r]));
  const reachedBy = new Map<string, Set<string>>();
  for (const head of project.heads) {
    const pending = [head];
    const seen = new Set<string>();
    while (pending.length) {
      const id = pending.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (!reachedBy.has(id)) reachedBy.set(id, new Set());
      reachedBy.get(id)!.add(head);
      pending.push(...(byId.get(id)?.parents ?? []));
    }
  }
  const order = project.revisions.map((r) => r.id);
  const groups: Extract<Node, { kind: 'group' }>[] = project.heads.map((head) => {
    const ids = order.filter((id) => reachedBy.get(id)?.size === 1 && reachedBy.get(id)!.has(head));
    return { kind: 'group', project, key: `head:${head}`, label: byId.get(head)?.message || head, description: `head ${head} · ${ids.length} only on this branch`, ids };
  });
  const shared = order.filter((id) => (reachedBy.get(id)?.size ?? 0) !== 1);
  if (shared.length) groups.push({ kind: 'group', project, key: 'shared', label: 'Shared history', description: `${shared.length} revisions`, ids: shared });
  return groups;
}
