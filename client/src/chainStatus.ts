import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface ProjectRevisions {
  name: string;
  heads: string[];
  revisions: { id: string; message: string; uri: string; parents: string[]; children: string[]; branchLabels: string[]; worst?: string }[];
}

/** "Alembic: 1 head" in the status bar (warning colours with several heads); opens the review. */
export class ChainStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alembicGuard.chain', vscode.StatusBarAlignment.Left, 10);

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'Alembic chain';
    this.item.command = 'alembicGuard.reviewMigration';
  }

  async update(projects?: ProjectRevisions[]): Promise<void> {
    const list = projects ?? (await this.client.sendRequest<ProjectRevisions[]>('alembicGuard/revisions'));
    if (!list.length) {
      this.item.hide();
      return;
    }
    const heads = list.reduce((n, p) => n + p.heads.length, 0);
    const several = list.some((p) => p.heads.length > 1);
    this.item.text = `$(git-merge) Alembic: ${heads} head${heads === 1 ? '' : 's'}`;
    this.item.tooltip = list.map((p) => `${p.name}: ${p.heads.join(', ') || 'no revisions'}`).join('\n') + '\nClick to review the active migration';
    this.item.backgroundColor = several ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
