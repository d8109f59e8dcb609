import { join } from 'node:path';
import { createActor, type Actor } from 'xstate';
import { Catalog } from '../catalog/index.js';
import { errorMessage, silentLogger, systemClock, type Clock, type Logger } from '../core/index.js';
import type { ExifTool } from 'exiftool-vendored';
import { MetadataIndexer } from '../ingest/index.js';
import {
  allIndexers,
  BackgroundStacker,
  QuietStacking,
  resolveProfile,
} from '../ingest/stacks/index.js';
import {
  createExifTool,
  ExifToolMetadataReader,
  ExifToolPlanTagReader,
  type MetadataReader,
  type PlanTagReader,
} from '../media/index.js';
import {
  ExifToolHintReader,
  MediaPreviewSource,
  type HintReader,
  type PreviewSource,
} from '../media/similarity/index.js';
import {
  cardBusy,
  LedPlayer,
  ledPatterns,
  renderFrame,
  ScreenUpdater,
  DEFAULT_SCREEN_POLICY,
  type BoxStatus,
  type ScreenPolicy,
  type ShutdownReason,
} from '../status/index.js';
import { Tiers } from '../tiers/index.js';
import type { VaultIo } from '../vault/index.js';
import type { Config } from './config/index.js';
import type { BoxParts } from './box-parts.js';
import {
  createBoxMachine,
  type BoxEvent,
  type BoxMachine,
  type BoxSettings,
} from './box-machine.js';
import { ButtonGestures } from './button-gestures.js';
import { CardWorker } from './card-worker.js';
import { DriveRouter, type CardInsert } from './drive-router.js';
import { machineView } from './machine-view.js';
import { PowerMonitor } from './power-monitor.js';
import { STATUS_FILE, StatusFile } from './status-file.js';
import { StatusStore } from './status-store.js';
import { SyncWorker } from './sync-worker.js';
import { TetherWorker } from './tether-worker.js';
import { VaultPool } from './vault-pool.js';
import { WorkTracker } from './work-tracker.js';

export interface ApplianceOptions {
  readonly config: Config;
  /** The catalog's folder ($FIELDBACKUP_HOME). */
  readonly home: string;
  /**
   * The catalog on `home`, when the caller has it open: the daemon shares one with its web page,
   * since LMDB allows one environment per file and process (two deadlock when a synchronous
   * write on one meets a batch on the other). The caller closes it. Default: opened here and
   * closed at shutdown.
   */
  readonly catalog?: Catalog;
  readonly parts: BoxParts;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Reads plan tags (capture time, rating …) before copying; default: ExifTool, started here. */
  readonly tags?: PlanTagReader;
  /** Reads every tag of a secured file for the metadata index; default: a background ExifTool, started here. */
  readonly metadata?: MetadataReader;
  /**
   * How stacks (bursts, brackets) are looked for when `similarity.background` is on: pixels
   * and camera hints of the vault copies; default: media's previews and the background ExifTool.
   */
  readonly looks?: StackLooks;
  /** How long secured files must stop coming before stacks are looked for; default 5 s. */
  readonly stackQuietMs?: number;
  readonly vaultIo?: VaultIo;
  /** Faster timings for simulations (settle, camera grace, resync). */
  readonly timing?: Partial<BoxSettings>;
  readonly screenPolicy?: ScreenPolicy;
  /** Where the status snapshot goes for `fieldbackup status`; default <home>/box-status.json; null: nowhere. */
  readonly statusFile?: string | null;
  /** systemd's sd_notify hook ("READY=1", "STOPPING=1", "WATCHDOG=1"), for the device image. */
  readonly notify?: (state: string) => void;
}

export type ApplianceEnd = 'off' | 'stopped';

/** Where the stacker gets a frame's pixels and the camera's hints. */
export interface StackLooks {
  readonly previews: PreviewSource;
  readonly hints?: HintReader;
}

/**
 * The box: the statechart with its regions, wired to the hardware, the ingest engine, the
 * tether engine and the sync seam, and everything it shows (screen, LEDs, status file). Its
 * status is one typed snapshot (`status()`) with a stream of new ones (`onStatus`).
 */
export class Appliance {
  private readonly store: StatusStore;
  private readonly work = new WorkTracker();
  private readonly pendingCards: CardInsert[] = [];
  private readonly stops: (() => void)[] = [];
  private readonly actor: Actor<BoxMachine>;
  private readonly screen: ScreenUpdater | undefined;
  private readonly leds: LedPlayer;
  private readonly file: StatusFile | undefined;
  private readonly ended: Promise<ApplianceEnd>;
  private started = false;
  private final: 'off' | 'stopped' | undefined;
  private endWith: (end: ApplianceEnd) => void = () => undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly pool: VaultPool;
  private readonly router: DriveRouter;
  private readonly cards: CardWorker;
  private readonly tether: TetherWorker | undefined;
  private readonly syncWorker: SyncWorker | undefined;

  private readonly indexer: MetadataIndexer;
  private readonly stacking: QuietStacking | undefined;

  private constructor(
    private readonly options: ApplianceOptions,
    private readonly catalog: Catalog,
    tags: PlanTagReader,
    metadata: MetadataReader,
    looks: StackLooks | undefined,
    /** Ends the ExifTool processes started here. */
    private readonly endTools: () => Promise<void>,
  ) {
    const { config, parts } = options;
    const hw = config.hardware;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.store = new StatusStore(this.clock, (err) =>
      this.logger.log('error', `status listener: ${errorMessage(err)}`),
    );
    this.ended = new Promise((resolve) => (this.endWith = resolve));
    // As `fieldbackup ingest` does: copies first, the full metadata index follows in the background.
    this.indexer = new MetadataIndexer({
      catalog,
      reader: metadata,
      clock: this.clock,
      logger: this.logger,
      onEvent: (e) => {
        if (e.event === 'metadata' && e.status === 'unreadable')
          this.logger.log('warn', `${e.path}: metadata unreadable (${e.reason ?? 'unknown'})`);
      },
    });
    // Stacks of every job (cards and tethered shots), looked for once the files stop coming
    // for a moment, incrementally; without the stack economy (the session holds the vaults).
    this.stacking =
      looks === undefined
        ? undefined
        : new QuietStacking({
            stacker: new BackgroundStacker({
              catalog,
              profile: resolveProfile(config.similarity),
              ...looks,
              clock: this.clock,
              logger: this.logger,
            }),
            indexed: () => this.indexer.idle(),
            busy: () => cardBusy(this.store.get().card.phase),
            logger: this.logger,
            ...(options.stackQuietMs === undefined ? {} : { quietMs: options.stackQuietMs }),
          });
    const tiers = Tiers.fromConfig(config.tiers);
    this.pool = new VaultPool({
      indexer:
        this.stacking === undefined ? this.indexer : allIndexers(this.indexer, this.stacking),
      catalog,
      mounter: parts.mounter,
      tiers,
      tags,
      concurrency: config.ingest.concurrency,
      clock: this.clock,
      logger: this.logger,
      fixedRoots: config.vaults,
      expectedIds: hw.drives.vaultIds,
      onChange: (vaults) => this.store.patch(() => ({ vaults })),
      ...(options.vaultIo === undefined ? {} : { vaultIo: options.vaultIo }),
    });
    this.cards = new CardWorker({
      catalog,
      mounter: parts.mounter,
      drives: parts.drives,
      pool: this.pool,
      store: this.store,
      work: this.work,
      logger: this.logger,
      clock: this.clock,
      mountRoot: hw.drives.mountRoot,
      paranoid: config.ingest.paranoid,
    });
    this.router = new DriveRouter({
      mounter: parts.mounter,
      pool: this.pool,
      store: this.store,
      logger: this.logger,
      mountRoot: hw.drives.mountRoot,
      onCard: (card) => {
        this.pendingCards.push(card);
        this.offerCards();
      },
      onCardGone: (device) => {
        const queued = this.pendingCards.findIndex((c) => c.volume.device === device);
        if (queued >= 0) this.pendingCards.splice(queued, 1);
        else this.send({ type: 'CARD.REMOVED', device });
      },
    });
    this.tether =
      parts.usb === undefined || !hw.tether.usb
        ? undefined
        : new TetherWorker(parts.usb, this.pool, this.store, this.work, this.logger);
    this.syncWorker =
      parts.network === undefined || config.sync.target === undefined
        ? undefined
        : new SyncWorker({
            config: config.sync,
            tiers,
            network: parts.network,
            catalog,
            pool: this.pool,
            store: this.store,
            work: this.work,
            clock: this.clock,
            logger: this.logger,
            pollMs: hw.network.pollSeconds * 1000,
          });
    this.leds = new LedPlayer(parts.leds ?? {});
    this.screen =
      parts.panel === undefined
        ? undefined
        : new ScreenUpdater(
            parts.panel,
            renderFrame,
            options.screenPolicy ?? screenPolicyOf(config),
            this.clock,
            (err) => this.hardwareProblem(err),
          );
    const filePath =
      options.statusFile === undefined ? join(options.home, STATUS_FILE) : options.statusFile;
    this.file = filePath === null ? undefined : new StatusFile(filePath, this.clock, this.logger);
    this.actor = createActor(createBoxMachine(this.services(), this.settings()));
  }

  /** Opens the catalog, starts the statechart and the watchers; resolves once the first look at the drives is done. */
  static async start(options: ApplianceOptions): Promise<Appliance> {
    const catalog = options.catalog ?? (await Catalog.open(options.home));
    const tools: ExifTool[] = [];
    const startTool = (background: boolean): ExifTool => {
      const tool = createExifTool({ background });
      tools.push(tool);
      return tool;
    };
    // One background ExifTool for everything after the copy: the index and the stacks' hints.
    let background: ExifTool | undefined;
    const backgroundTool = (): ExifTool => (background ??= startTool(true));
    const tags = options.tags ?? new ExifToolPlanTagReader(startTool(false));
    const metadata = options.metadata ?? new ExifToolMetadataReader(backgroundTool());
    const looks = !options.config.similarity.background
      ? undefined
      : (options.looks ?? {
          previews: new MediaPreviewSource(backgroundTool()),
          hints: new ExifToolHintReader(backgroundTool()),
        });
    const endTools = async (): Promise<void> => {
      for (const tool of tools) await tool.end().catch(() => undefined);
    };
    const box = new Appliance(options, catalog, tags, metadata, looks, endTools);
    await box.run();
    return box;
  }

  status(): BoxStatus {
    return this.store.get();
  }

  /** Shows the web page's pairing code on the screen (undefined: none). */
  showPairingCode(pairing: BoxStatus['pairing']): void {
    this.store.patch(() => ({ pairing }));
  }

  /** Every new status snapshot (at most one per turn of the event loop). */
  onStatus(listener: (status: BoxStatus) => void): () => void {
    return this.store.on(listener);
  }

  /** Resolves when the box has shut down ('off', after powering off) or stopped. */
  whenEnded(): Promise<ApplianceEnd> {
    return this.ended;
  }

  /** Safe shutdown and power-off, as a long press of the button does. */
  shutDown(reason: ShutdownReason = 'button'): Promise<ApplianceEnd> {
    this.send({ type: 'SHUTDOWN', reason });
    return this.ended;
  }

  /** Stops the box without powering off (the service is stopped); leaves the last verdict on screen. */
  stop(): Promise<ApplianceEnd> {
    this.send({ type: 'STOP' });
    return this.ended;
  }

  private send(event: BoxEvent): void {
    if (this.actor.getSnapshot().status === 'active') this.actor.send(event);
  }

  private async run(): Promise<void> {
    const { parts } = this.options;
    this.store.patch(() => ({
      power: { ...this.store.get().power, gauge: parts.gauge === undefined ? 'none' : 'ok' },
    }));
    for (const p of parts.problems ?? []) this.store.problem('E_HARDWARE', p);
    this.store.on((s) => this.show(s));
    this.actor.subscribe({
      next: (snapshot) => {
        const view = machineView(snapshot);
        this.store.patch((s) => ({
          mode: this.final ?? (this.started || view.mode !== 'running' ? view.mode : 'starting'),
          ...(view.shutdownReason === undefined ? {} : { shutdownReason: view.shutdownReason }),
          card: { ...s.card, phase: view.card },
          tether: { ...s.tether, phase: view.tether },
          sync: { ...s.sync, phase: view.sync },
          power: { ...s.power, level: view.powerLevel },
        }));
        this.offerCards();
        if (snapshot.status === 'done') this.endWith(snapshot.value === 'off' ? 'off' : 'stopped');
      },
      error: (err) => this.logger.log('error', `statechart: ${errorMessage(err)}`),
    });
    this.actor.start();
    this.indexer.catchUp();
    await this.pool.refreshFixed();
    this.stops.push(parts.drives.watch((e) => void this.router.handle(e)));
    await parts.drives.refresh();
    await this.router.idle();
    this.startWatchers();
    this.started = true;
    this.store.patch((s) => ({ mode: s.mode === 'starting' ? 'running' : s.mode }));
    this.offerCards();
    this.options.notify?.('READY=1');
  }

  private startWatchers(): void {
    const { parts, config } = this.options;
    const hw = config.hardware;
    if (parts.gauge !== undefined) {
      const monitor = new PowerMonitor(
        parts.gauge,
        hw.power.pollSeconds * 1000,
        (reading) => {
          this.store.patch((s) => ({
            power: {
              ...s.power,
              gauge: 'ok',
              percent: reading.percent,
              volts: reading.volts,
              source:
                reading.onMains === undefined ? 'unknown' : reading.onMains ? 'mains' : 'battery',
            },
          }));
          this.send({ type: 'POWER', reading });
        },
        (problem) => {
          this.store.patch((s) => ({
            power: { ...s.power, gauge: problem === undefined ? 'ok' : 'failed' },
          }));
          if (problem !== undefined) this.store.problem('E_HARDWARE', problem);
        },
        this.logger,
      );
      monitor.start();
      this.stops.push(() => monitor.stop());
    }
    if (parts.button !== undefined && hw.button !== 'none') {
      const gestures = new ButtonGestures(
        hw.button.longPressMs,
        () => this.send({ type: 'BUTTON.SHORT' }),
        () => this.send({ type: 'BUTTON.LONG' }),
      );
      this.stops.push(parts.button.watch(gestures.edge), () => gestures.stop());
    }
    if (this.tether !== undefined)
      this.stops.push(
        this.tether.watch((camera) =>
          this.send({ type: camera ? 'CAMERA.PRESENT' : 'CAMERA.ABSENT' }),
        ),
      );
    if (this.syncWorker !== undefined)
      this.stops.push(this.syncWorker.watch((home) => this.send({ type: 'NETWORK', home })));
  }

  /** Hands queued cards to the card region whenever it can take one. */
  private offerCards(): void {
    const card = this.pendingCards[0];
    if (card === undefined || !this.started) return;
    const event: BoxEvent = { type: 'CARD.INSERTED', card };
    const snapshot = this.actor.getSnapshot();
    if (snapshot.status !== 'active' || !snapshot.can(event)) return;
    this.pendingCards.shift();
    this.actor.send(event);
  }

  private show(status: BoxStatus): void {
    if (this.final === undefined) this.leds.play(ledPatterns(status));
    this.screen?.update(status);
    this.file?.update(status);
  }

  private hardwareProblem(err: unknown): void {
    this.logger.log('warn', errorMessage(err));
    this.store.problem('E_HARDWARE', errorMessage(err));
  }

  private settings(): BoxSettings {
    const hw = this.options.config.hardware;
    return {
      settleMs: hw.drives.settleMs,
      tether: this.tether !== undefined,
      sync: this.syncWorker !== undefined,
      cameraGraceMs: hw.tether.graceSeconds * 1000,
      lowPercent: hw.power.lowPercent,
      shutdownPercent: hw.power.shutdownPercent,
      hysteresisPercent: 3,
      resyncMs: 15 * 60_000,
      syncRetryMs: 60_000,
      ...this.options.timing,
    };
  }

  private services() {
    const cards = this.cards;
    return {
      card: {
        inserted: (card: CardInsert) => cards.inserted(card),
        mount: (card: CardInsert) => cards.mount(card),
        copy: cards.copy.bind(cards),
        verify: cards.verify.bind(cards),
        unmount: cards.unmount.bind(cards),
        release: cards.release.bind(cards),
        settled: cards.settled.bind(cards),
        removed: () => cards.removed(),
        present: (device: string) => this.router.hasCard(device),
      },
      tether: (signal: AbortSignal, report: (e: 'connected' | 'disconnected') => void) =>
        this.tether?.run(signal, report) ?? Promise.resolve(),
      sync: (signal: AbortSignal) =>
        this.syncWorker?.run(signal) ?? Promise.reject(new Error('no sync configured')),
      shutDown: (reason: ShutdownReason) => this.shutdown(reason, reason !== 'stop'),
      stop: () => this.shutdown('stop', false),
      refreshScreen: () =>
        void this.screen?.flush(true).catch((err: unknown) => this.hardwareProblem(err)),
    };
  }

  /**
   * The safe shutdown, in this order: the statechart has left `running`, so the card copy, the
   * tether and the sync were told to stop; files in flight finish (nothing half recorded), the
   * jobs are committed as interrupted, the card and the SSDs are unmounted, the catalog is
   * flushed, the last frame is drawn (it stays on e-ink without power), then the power goes.
   */
  private async shutdown(reason: ShutdownReason, powerOff: boolean): Promise<void> {
    const { parts } = this.options;
    this.options.notify?.('STOPPING=1');
    this.logger.log('info', `shutting down (${reason})`);
    for (const stop of this.stops.splice(0)) stop();
    // The "shutting down safely" frame, before the wait.
    await this.screen?.flush(true).catch((err: unknown) => this.hardwareProblem(err));
    await this.work.drain();
    await this.cards
      .shutdown()
      .catch((err: unknown) => this.logger.log('warn', `card: ${errorMessage(err)}`));
    await this.pool.close();
    // Usually already done (it runs beside the copy); what it has not read stays queued in the catalog.
    await this.indexer
      .drain()
      .catch((err: unknown) => this.logger.log('warn', `metadata index: ${errorMessage(err)}`));
    await this.stacking?.close('not looked for: the box shut down first');
    await this.catalog.flushed();
    this.final = powerOff ? 'off' : 'stopped';
    this.store.patch(() => ({ mode: this.final ?? 'stopped' }));
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    await this.screen?.flush(true).catch((err: unknown) => this.hardwareProblem(err));
    await this.screen?.close();
    await parts.panel
      ?.close()
      .catch((err: unknown) => this.logger.log('warn', `screen: ${errorMessage(err)}`));
    this.leds.stop();
    await this.file?.flush();
    await this.endTools();
    if (this.options.catalog === undefined) await this.catalog.close();
    await parts
      .close()
      .catch((err: unknown) => this.logger.log('warn', `hardware: ${errorMessage(err)}`));
    if (powerOff) await parts.power.powerOff(reason);
  }
}

function screenPolicyOf(config: Config): ScreenPolicy {
  const panel = config.hardware.panel;
  if (panel === 'none') return DEFAULT_SCREEN_POLICY;
  return {
    ...DEFAULT_SCREEN_POLICY,
    partialEveryMs: panel.partialRefreshSeconds * 1000,
    fullEveryMs: panel.fullRefreshSeconds * 1000,
  };
}
