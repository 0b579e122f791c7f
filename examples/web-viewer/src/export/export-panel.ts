/**
 * The "Export GLB" panel: runs the export (in a Web Worker, so the page keeps rendering), offers the
 * file for download, uploads it to the server's store when uploads are on and the page has a token,
 * and lists the room's stored snapshots with links.
 */
import { uploadGlb } from '@scenesync/gltf';
import { SnapshotApi, type SnapshotEntry } from './snapshot-api.js';

/** Options of {@link ExportPanel}; every default lives in `EXPORT_PANEL_DEFAULTS`. */
export interface ExportPanelOptions {
  /** Upload token (the server's `--token`); uploads are skipped without one. */
  token: string | undefined;
  /** How often the snapshot list refreshes by itself, ms (uploads by other peers show up). */
  listRefreshMs: number;
}

/** Defaults of {@link ExportPanelOptions}. */
export const EXPORT_PANEL_DEFAULTS: Readonly<ExportPanelOptions> = { token: undefined, listRefreshMs: 10_000 };

/** The export button, its status line and the snapshot list. */
export class ExportPanel {
  private readonly options: ExportPanelOptions;
  private readonly status: HTMLElement;
  private readonly list: HTMLElement;
  private readonly button: HTMLButtonElement;

  /**
   * @param exportScene produces the GLB of the current scene (runs in a worker)
   * @param room the room name (file names and the store path use it)
   */
  constructor(
    container: HTMLElement,
    private readonly api: SnapshotApi,
    private readonly room: string,
    private readonly exportScene: () => Promise<Uint8Array>,
    options: Partial<ExportPanelOptions> = {},
  ) {
    this.options = { ...EXPORT_PANEL_DEFAULTS, ...options };
    this.button = document.createElement('button');
    this.button.textContent = 'Export GLB';
    this.button.dataset.testid = 'export-glb';
    this.button.addEventListener('click', () => void this.run());
    this.status = document.createElement('div');
    this.status.className = 'status';
    this.status.dataset.testid = 'export-status';
    const heading = document.createElement('h3');
    heading.textContent = 'Snapshots';
    this.list = document.createElement('ul');
    this.list.dataset.testid = 'snapshot-list';
    container.append(this.button, this.status, heading, this.list);
    void this.refreshList();
    setInterval(() => void this.refreshList(), this.options.listRefreshMs);
  }

  /** Exports, downloads, and uploads when possible; reports progress in the status line. */
  async run(): Promise<void> {
    this.button.disabled = true;
    this.setStatus('Exporting…');
    try {
      const bytes = await this.exportScene();
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const name = `${this.room}-${stamp}`.replace(/[^A-Za-z0-9_-]/g, '_');
      this.download(bytes, `${name}.glb`);
      const uploads = await this.api.uploadsEnabled();
      if (this.options.token && uploads !== false) {
        this.setStatus(`Exported ${bytes.byteLength} bytes; uploading…`);
        await uploadGlb(bytes, { server: this.api.base, room: this.room, name, token: this.options.token });
        this.setStatus(`Exported ${bytes.byteLength} bytes and uploaded ${name}.glb.`);
        await this.refreshList();
      } else {
        this.setStatus(
          `Exported ${bytes.byteLength} bytes.` +
            (uploads === false ? ' (Uploads are off on this server.)' : ' (Add &token=… to the URL to upload.)'),
        );
      }
    } catch (error) {
      this.setStatus(`Export failed: ${error instanceof Error ? error.message : String(error)}`, true);
    } finally {
      this.button.disabled = false;
    }
  }

  /** Reloads the list of the room's stored snapshots. */
  async refreshList(): Promise<void> {
    let entries: SnapshotEntry[];
    try {
      entries = await this.api.list();
    } catch {
      return; // The list is a convenience; the status line reports real failures.
    }
    const items = entries.map((entry) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = this.api.urlOf(entry.name);
      link.textContent = entry.name;
      link.dataset.testid = 'snapshot-link';
      const info = document.createElement('span');
      info.className = 'type';
      info.textContent = ` ${(entry.size / 1024).toFixed(1)} KiB`;
      item.append(link, info);
      return item;
    });
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'type';
      empty.textContent = 'none yet';
      items.push(empty);
    }
    this.list.replaceChildren(...items);
  }

  private download(bytes: Uint8Array, fileName: string): void {
    const url = URL.createObjectURL(new Blob([bytes as unknown as BlobPart], { type: 'model/gltf-binary' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private setStatus(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }
}
