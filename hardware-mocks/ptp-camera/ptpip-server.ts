import * as net from 'node:net';
import type { CameraEventMessage, MalformedReply, SimulatedCamera } from './camera.js';
import { PtpResponder, type Reply } from './responder.js';
import { Wire } from './wire.js';

/** Data packets of 256 KiB: big enough for loopback speed, small enough to cut mid-object. */
const DATA_CHUNK = 256 * 1024;
const EVENT_TID = 0xffffffff;
const CAMERA_GUID = Buffer.from('f1e1d0c0b0a090807060504030201000', 'hex');

export interface PtpIpServerOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
}

interface Session {
  readonly connection: number;
  readonly command: net.Socket;
  events?: net.Socket;
  readonly responder: PtpResponder;
  queue: Promise<void>;
}

function packet(type: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([
    new Wire()
      .u32(8 + body.byteLength)
      .u32(type)
      .buffer(),
    body,
  ]);
}

/**
 * A PTP/IP camera on a TCP port: the init handshake on two connections, operations with their
 * data phases (StartData, Data…, EndData), responses, and events on the event connection.
 * Enough of CIPA DC-005 for gphoto2's "PTP/IP Camera" driver and for FieldBackup's client.
 */
export class PtpIpCameraServer {
  /** Init handshakes completed (reconnects show here). */
  handshakes = 0;
  private session: Session | undefined;
  private nextConnection = 1;
  private awayUntil = 0;
  private readonly sockets = new Set<net.Socket>();
  private readonly onEvent = (e: CameraEventMessage): void => this.sendEvent(e);

  private constructor(
    readonly camera: SimulatedCamera,
    private readonly server: net.Server,
    readonly host: string,
    readonly port: number,
  ) {
    camera.on('event', this.onEvent);
  }

  static start(
    camera: SimulatedCamera,
    options: PtpIpServerOptions = {},
  ): Promise<PtpIpCameraServer> {
    const host = options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        const address = server.address() as net.AddressInfo;
        const sim = new PtpIpCameraServer(camera, server, host, address.port);
        server.on('connection', (socket) => sim.accept(socket));
        resolve(sim);
      });
    });
  }

  /** The Wi-Fi drops: both connections die at once; the camera is away for `awayMs`. */
  dropLink(awayMs = this.camera.faults.awayMs ?? 0): void {
    this.awayUntil = Date.now() + awayMs;
    for (const s of this.sockets) s.destroy();
    this.session = undefined;
  }

  async close(): Promise<void> {
    this.camera.off('event', this.onEvent);
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (Date.now() < this.awayUntil) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.byteLength >= 8) {
        const length = pending.readUInt32LE(0);
        if (length < 8 || length > 1 << 20) {
          socket.destroy();
          return;
        }
        if (pending.byteLength < length) break;
        const type = pending.readUInt32LE(4);
        const body = pending.subarray(8, length);
        pending = pending.subarray(length);
        this.packetFrom(socket, type, body);
      }
    });
  }

  private packetFrom(socket: net.Socket, type: number, body: Buffer): void {
    switch (type) {
      case 0x01: {
        // InitCommandRequest: a new initiator takes the camera over (the old link is dead or gone).
        if (this.session !== undefined && this.session.command !== socket)
          this.session.command.destroy();
        const connection = this.nextConnection++;
        this.session = {
          connection,
          command: socket,
          responder: new PtpResponder(this.camera),
          queue: Promise.resolve(),
        };
        socket.write(
          packet(
            0x02,
            new Wire()
              .u32(connection)
              .bytes(CAMERA_GUID)
              .utf16z(this.camera.model)
              .u32(0x00010000)
              .buffer(),
          ),
        );
        return;
      }
      case 0x03: {
        const session = this.session;
        if (session === undefined || body.readUInt32LE(0) !== session.connection) {
          socket.write(packet(0x05, new Wire().u32(1).buffer()));
          socket.destroy();
          return;
        }
        session.events = socket;
        this.handshakes++;
        socket.write(packet(0x04));
        return;
      }
      case 0x06: {
        const session = this.session;
        if (session === undefined || session.command !== socket) return;
        const dataPhase = body.readUInt32LE(0);
        const code = body.readUInt16LE(4);
        const tid = body.readUInt32LE(6);
        const params: number[] = [];
        for (let at = 10; at + 4 <= body.byteLength; at += 4) params.push(body.readUInt32LE(at));
        session.queue = session.queue
          .then(() => this.operation(session, dataPhase, code, tid, params))
          .catch(() => {
            socket.destroy();
          });
        return;
      }
      case 0x0d:
        socket.write(packet(0x0e));
        return;
      default:
        return; // ProbeResponse, Cancel, host data packets: nothing to do for a read-only camera
    }
  }

  private async operation(
    session: Session,
    dataPhase: number,
    code: number,
    tid: number,
    params: number[],
  ): Promise<void> {
    const socket = session.command;
    const bad = this.camera.takeMalformed(code);
    if (dataPhase === 2) {
      socket.write(response(0x2005, tid, []));
      return;
    }
    const reply = await session.responder.handle(code, params, bad === 'bad-dataset');
    if (reply.data !== undefined && !(await this.sendData(socket, tid, reply, bad))) return;
    reply.afterData?.();
    socket.write(
      corrupt(response(reply.code, bad === 'wrong-tid' ? tid + 1 : tid, reply.params ?? []), bad),
    );
  }

  /** StartData, Data…, EndData; false when the link was cut on the way. */
  private async sendData(
    socket: net.Socket,
    tid: number,
    reply: Reply,
    bad: MalformedReply['kind'] | undefined,
  ): Promise<boolean> {
    const data = reply.data;
    if (data === undefined) return true;
    const announced = bad === 'too-much-data' ? Math.max(0, data.length - 10) : data.length;
    socket.write(packet(0x09, new Wire().u32(tid).u64(announced).buffer()));
    let sent = 0;
    do {
      const n = Math.min(DATA_CHUNK, data.length - sent);
      const bytes = await data.read(sent, n);
      const last = sent + n >= data.length;
      const out = packet(last ? 0x0c : 0x0a, Buffer.concat([new Wire().u32(tid).buffer(), bytes]));
      if (reply.isObject === true && this.camera.cutAt(sent + n)) {
        // The cable is pulled mid-packet: half of it arrives, then nothing.
        socket.write(out.subarray(0, out.byteLength >> 1), () => this.dropLink());
        return false;
      }
      if (!socket.write(out)) await new Promise((resolve) => socket.once('drain', resolve));
      if (socket.destroyed) return false;
      sent += n;
    } while (sent < data.length);
    return true;
  }

  private sendEvent(e: CameraEventMessage): void {
    const body = new Wire().u16(e.code).u32(EVENT_TID);
    for (const p of e.params) body.u32(p);
    this.session?.events?.write(packet(0x08, body.buffer()));
  }
}

function response(code: number, tid: number, params: readonly number[]): Buffer {
  const w = new Wire().u16(code).u32(tid);
  for (const p of params) w.u32(p);
  return packet(0x07, w.buffer());
}

function corrupt(bytes: Buffer, bad: MalformedReply['kind'] | undefined): Buffer {
  const out = Buffer.from(bytes);
  if (bad === 'huge-length') out.writeUInt32LE(0x7fffffff, 0);
  if (bad === 'short-length') out.writeUInt32LE(4, 0);
  if (bad === 'bad-type') out.writeUInt32LE(0x77, 4);
  return out;
}
