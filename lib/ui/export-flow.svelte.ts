// The export flow of the options page: the whole vault or one folder, as Latchkey's encrypted file
// (a passphrase the person chooses) or as a plaintext CSV (the master password again, after saying
// what a CSV file on disk means). The file is handed to the browser's download and not kept here.
import { send } from '../messages/client';
import { tn } from '../i18n';

export type ExportKind = 'file' | 'csv';

export class ExportFlow {
  kind = $state<ExportKind>('file');
  folder = $state('');
  secret = $state('');
  confirm = $state('');
  understood = $state(false);
  busy = $state(false);
  error = $state('');
  status = $state('');

  get ready(): boolean {
    if (this.kind === 'csv') return this.understood && this.secret.length > 0;
    return this.secret.length > 0 && this.secret === this.confirm;
  }

  async run(download: (name: string, text: string, type: string) => void): Promise<void> {
    this.error = this.status = '';
    if (!this.ready) return;
    this.busy = true;
    const folder = this.folder.trim() || undefined;
    const reply = this.kind === 'csv' ? await send('export.csv', { masterPassword: this.secret, folder }) : await send('export.file', { passphrase: this.secret, folder });
    this.busy = false;
    this.secret = this.confirm = '';
    if (!reply.ok) {
      this.error = reply.message;
      return;
    }
    const day = new Date().toISOString().slice(0, 10);
    if (this.kind === 'csv') download(`latchkey-${day}.csv`, reply.value.text, 'text/csv');
    else download(`latchkey-${day}.latchkey.json`, reply.value.text, 'application/json');
    this.status = tn('exportDone', reply.value.count);
    this.understood = false;
  }
}

/** Saves text as a file through the browser's download, without keeping a copy anywhere. */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
