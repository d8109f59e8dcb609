import type { LabelledFrame } from '../../fixtures/similar-set.js';

/** Pairwise agreement of found stacks with the true ones, and how well kinds were named. */
export interface PairwiseScore {
  /** Pairs put in one stack that truly are one. */
  readonly precision: number;
  /** True pairs that were put in one stack. */
  readonly recall: number;
  readonly f1: number;
  readonly truePairs: number;
  readonly foundPairs: number;
  readonly correctPairs: number;
  /** Found stacks whose kind matches the true kind of most of their frames. */
  readonly kindAccuracy: number;
}

export interface FoundGroup {
  readonly kind: 'burst' | 'bracket';
  readonly files: readonly string[];
}

/**
 * Scores found groups against labels over every pair of files: a pair counts as found when
 * both files are in one group, as true when both carry the same label.
 */
export function pairwiseScore(
  labels: readonly LabelledFrame[],
  found: readonly FoundGroup[],
): PairwiseScore {
  const truth = new Map(labels.map((l) => [l.relPath, l]));
  const sizes = new Map<string, number>();
  for (const l of labels)
    if (l.group !== undefined) sizes.set(l.group, (sizes.get(l.group) ?? 0) + 1);
  const truePairs = [...sizes.values()].reduce((n, s) => n + (s * (s - 1)) / 2, 0);
  let foundPairs = 0;
  let correctPairs = 0;
  let kindsRight = 0;
  for (const g of found) {
    foundPairs += (g.files.length * (g.files.length - 1)) / 2;
    for (let i = 0; i < g.files.length; i++)
      for (let j = i + 1; j < g.files.length; j++) {
        const a = truth.get(g.files[i] as string);
        const b = truth.get(g.files[j] as string);
        if (a?.group !== undefined && a.group === b?.group) correctPairs++;
      }
    const kinds = g.files.map((f) => truth.get(f)?.kind);
    const bursts = kinds.filter((k) => k === 'burst').length;
    const brackets = kinds.filter((k) => k === 'bracket').length;
    if (bursts + brackets > 0 && (bursts >= brackets ? 'burst' : 'bracket') === g.kind)
      kindsRight++;
  }
  const precision = foundPairs === 0 ? 1 : correctPairs / foundPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    truePairs,
    foundPairs,
    correctPairs,
    kindAccuracy: found.length === 0 ? 1 : kindsRight / found.length,
  };
}
