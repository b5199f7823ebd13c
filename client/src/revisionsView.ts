import * as vscode from 'vscode';
import type { ProjectRevisions } from './chainStatus';

type Node = { kind: 'project'; project: ProjectRevisions } | { kind: 'revision'; project: ProjectRevisions; id: string; via?: string };

const ICONS: Record<string, string> = { error: 'error', warning: 'warning', info: 'info', hint: 'info' };

/** "Alembic Revisions" in the Explorer: the graph from the heads down, merges and labels shown. */
export class RevisionsView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private projects: ProjectRevisions[] = [];

  update(projects: ProjectRevisions[]): void {
    this.projects = projects;
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.projects.length === 1 ? this.projects[0].heads.map((id) => ({ kind: 'revision', project: this.projects[0], id })) : this.projects.map((project) => ({ kind: 'project', project }));
    }
    if (node.kind === 'project') return node.project.heads.map((id) => ({ kind: 'revision', project: node.project, id }));
    const revision = node.project.revisions.find((r) => r.id === node.id);
    // A merge lists each parent; a parent reached from several children appears under each.
    return (revision?.parents ?? []).map((id) => ({ kind: 'revision', project: node.project, id, via: node.id }));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'project') return new vscode.TreeItem(node.project.name, vscode.TreeItemCollapsibleState.Expanded);
    const revision = node.project.revisions.find((r) => r.id === node.id);
    const item = new vscode.TreeItem(revision?.message || node.id, revision?.parents.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    const tags = [node.id, revision && revision.parents.length > 1 ? 'merge' : '', node.project.heads.includes(node.id) ? 'head' : '', ...(revision?.branchLabels ?? [])].filter(Boolean);
    item.description = tags.join(' · ');
    item.id = `${node.project.name}:${node.via ?? ''}:${node.id}`;
    if (revision?.worst) item.iconPath = new vscode.ThemeIcon(ICONS[revision.worst]);
    if (revision) item.command = { title: 'Open migration', command: 'vscode.open', arguments: [vscode.Uri.parse(revision.uri)] };
    item.tooltip = revision ? `${node.id}: ${revision.message}\nparents: ${revision.parents.join(', ') || 'none'}\nchildren: ${revision.children.join(', ') || 'none'}` : node.id;
    return item;
  }
}
