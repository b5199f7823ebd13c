import * as vscode from 'vscode';
import type { LanguageClient, WorkspaceEdit } from 'vscode-languageclient/node';

export interface ProjectRevisions {
  name: string;
  heads: string[];
  /** Newest first, as `alembic history` lists them. */
  revisions: { id: string; message: string; uri: string; parents: string[]; children: string[]; branchLabels: string[]; worst?: string }[];
}

/** "Alembic: 1 head" in the status bar (warning colours with several heads); a click lists the heads and offers the merge. */
export class ChainStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alembicGuard.chain', vscode.StatusBarAlignment.Left, 10);
  private projects: ProjectRevisions[] = [];

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Alembic chain';
    this.item.command = 'alembicGuard.showHeads';
  }

  async update(projects?: ProjectRevisions[]): Promise<void> {
    const list = projects ?? (await this.client.sendRequest<ProjectRevisions[]>('alembicGuard/revisions'));
    this.projects = list;
    if (!list.length) {
      this.item.hide();
      return;
    }
    const heads = list.reduce((n, p) => n + p.heads.length, 0);
    const several = list.some((p) => p.heads.length > 1);
    this.item.text = `$(git-merge) Alembic: ${heads} head${heads === 1 ? '' : 's'}`;
    this.item.tooltip = list.map((p) => `${p.name}: ${p.heads.join(', ') || 'no revisions'}`).join('\n') + (several ? '\nClick to see the heads and merge them' : '\nClick to see the head');
    this.item.backgroundColor = several ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** The heads, each to open; with several in a project, "Merge the heads" writes the merge revision. */
  async showHeads(): Promise<void> {
    type Pick = vscode.QuickPickItem & { uri?: string; merge?: string };
    const picks: Pick[] = [];
    for (const project of this.projects) {
      for (const head of project.heads) {
        const revision = project.revisions.find((r) => r.id === head);
        picks.push({ label: `$(git-commit) ${revision?.message || head}`, description: head, detail: this.projects.length > 1 ? project.name : undefined, uri: revision?.uri });
      }
      if (project.heads.length > 1) picks.push({ label: `$(git-merge) Merge the ${project.heads.length} heads of ${project.name}`, description: 'writes a merge revision (alembic merge)', merge: project.name });
    }
    const chosen = await vscode.window.showQuickPick(picks, { placeHolder: 'Alembic heads' });
    if (chosen?.uri) await vscode.window.showTextDocument(vscode.Uri.parse(chosen.uri));
    if (chosen?.merge) await this.merge(chosen.merge);
  }

  private async merge(project: string): Promise<void> {
    const result = await this.client.sendRequest<{ edit: WorkspaceEdit; files: string[] } | null>('alembicGuard/mergeHeads', { project });
    if (!result) {
      void vscode.window.showWarningMessage(`Alembic Guard: no merge to write for ${project}`);
      return;
    }
    const edit = await this.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    if (edit && (await vscode.workspace.applyEdit(edit))) for (const file of result.files) await vscode.window.showTextDocument(vscode.Uri.parse(file));
  }

  dispose(): void {
    this.item.dispose();
  }
}
