import type { VaultId } from '../core/index.js';
import type { Vault } from '../vault/index.js';

interface VaultSpace {
  /** Free bytes when last measured; undefined: measure again before the next decision. */
  measured?: number;
  capacity: number;
  blockSize: number;
  /** Bytes claimed by files since the measurement. */
  claimed: number;
  /** Files being written to the vault now. */
  inFlight: number;
}

/** Bytes claimed on some vaults for one file; release them once the file is placed or given up. */
export interface SpaceClaim {
  readonly vaults: readonly Vault[];
  release(): void;
}

/**
 * What each vault has free, as the ingest sees it, so that tier reserves hold with several files
 * in flight: the free space is measured (statfs) when no file is being written to the vault,
 * and every file written since then counts with its size rounded up to whole blocks plus one
 * block for its directory entry. Decisions are taken one at a time.
 */
export class SpaceLedger {
  private readonly space = new Map<VaultId, VaultSpace>();
  private turn: Promise<unknown> = Promise.resolve();

  /**
   * Calls `choose` with a function telling how many bytes a vault would have free after
   * writing `bytes` (and what the vault holds in all), and claims the space on the vaults it picks.
   */
  claim(
    candidates: readonly Vault[],
    bytes: number,
    choose: (
      freeAfter: (vault: Vault) => number,
      capacity: (vault: Vault) => number,
    ) => readonly Vault[],
  ): Promise<SpaceClaim> {
    const decision = this.turn.then(async () => {
      await Promise.all(candidates.map((v) => this.measure(v)));
      const cost = (v: Vault): number => this.cost(v, bytes);
      const chosen = choose(
        (v) => this.free(v) - cost(v),
        (v) => this.state(v).capacity,
      );
      for (const v of chosen) {
        const s = this.state(v);
        s.claimed += cost(v);
        s.inFlight++;
      }
      let released = false;
      return {
        vaults: chosen,
        release: () => {
          if (released) return;
          released = true;
          for (const v of chosen) this.state(v).inFlight--;
        },
      };
    });
    this.turn = decision.catch(() => undefined);
    return decision;
  }

  /** A write ran out of space: what the vault has free is measured again before the next decision. */
  forget(vault: Vault): void {
    const s = this.space.get(vault.id);
    if (s !== undefined) s.measured = undefined;
  }

  private free(vault: Vault): number {
    const s = this.state(vault);
    return (s.measured ?? 0) - s.claimed;
  }

  private cost(vault: Vault, bytes: number): number {
    const block = this.state(vault).blockSize;
    return (Math.ceil(bytes / block) + 1) * block;
  }

  private async measure(vault: Vault): Promise<void> {
    const s = this.state(vault);
    if (s.measured !== undefined && s.inFlight > 0) return;
    s.claimed = 0;
    try {
      const { freeBytes, capacityBytes, blockSize } = await vault.space();
      s.measured = freeBytes;
      s.capacity = capacityBytes;
      s.blockSize = Math.max(1, blockSize);
    } catch {
      // A vault that cannot say what it has free is tried anyway: the write reports what is wrong with it.
      s.measured = Number.POSITIVE_INFINITY;
    }
  }

  private state(vault: Vault): VaultSpace {
    let s = this.space.get(vault.id);
    if (s === undefined) {
      s = { capacity: 0, blockSize: 4096, claimed: 0, inFlight: 0 };
      this.space.set(vault.id, s);
    }
    return s;
  }
}
