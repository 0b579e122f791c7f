import WebSocket from 'ws';

/** A signalling test client that records every JSON message it receives. */
export class SignalClient {
  readonly messages: any[] = [];
  private waiters: { pred: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      let m: unknown;
      try {
        m = JSON.parse(data.toString());
      } catch {
        m = { unparsable: data.toString() };
      }
      this.messages.push(m);
      for (const w of [...this.waiters]) {
        if (w.pred(m)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    this.closed = new Promise((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('error', () => {});
  }

  /** Connects; rejects with the HTTP status when the upgrade is refused. */
  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<SignalClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new SignalClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or coming) matching `pred`. */
  next(pred: (m: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Round trip through the server: once the pong is back, everything sent before was handled. */
  async sync(): Promise<void> {
    const before = this.messages.filter((m) => m.type === 'pong').length;
    this.send({ type: 'ping' });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong')), 10_000);
      const check = () => {
        if (this.messages.filter((m) => m.type === 'pong').length > before) {
          clearTimeout(timer);
          resolve();
        } else setTimeout(check, 2);
      };
      check();
    });
  }

  close(): void {
    this.ws.close();
  }
}
