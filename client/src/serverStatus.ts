import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

type Status = { state: 'indexing' | 'ready' | 'failed' | 'stopped'; detail: string };

const SHOWN: Record<Status['state'], { icon: string; text: string }> = {
  indexing: { icon: '$(sync~spin)', text: 'indexing' },
  ready: { icon: '$(check)', text: 'ready' },
  failed: { icon: '$(error)', text: 'failed' },
  stopped: { icon: '$(circle-slash)', text: 'stopped' },
};

/** "Alembic Guard: ready" in the status bar: indexing, ready or failed; a click shows the output. */
export class ServerStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('alembicGuard.server', vscode.StatusBarAlignment.Left, 11);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(client: LanguageClient) {
    this.item.name = 'Alembic Guard server';
    this.item.command = 'alembicGuard.showOutput';
    this.show({ state: 'indexing', detail: 'starting the language server' });
    this.subscriptions.push(
      client.onDidChangeState(({ newState }) => {
        if (newState === State.Stopped) this.show({ state: 'stopped', detail: 'the language server is not running: "Alembic Guard: Restart server" starts it' });
        if (newState === State.Starting) this.show({ state: 'indexing', detail: 'starting the language server' });
      }),
    );
  }

  /** After the client started: the server reports its own state. */
  listen(client: LanguageClient): void {
    this.subscriptions.push(client.onNotification('alembicGuard/status', (status: Status) => this.show(status)));
  }

  show(status: Status): void {
    const shown = SHOWN[status.state];
    this.item.text = `${shown.icon} Alembic Guard: ${shown.text}`;
    this.item.tooltip = `${status.detail}\nClick to show the Alembic Guard output`;
    this.item.backgroundColor = status.state === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.item.dispose();
  }
}
