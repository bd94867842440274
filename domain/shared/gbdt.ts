// Gradient-boosted decision trees for binary outcomes (logistic loss, second-order splits, histogram
// over small integer codes), small enough to read: training for the fraud model's script, and inference
// with per-feature contributions for its reason codes. Features are integer codes; a feature the caller
// cannot supply is averaged over the training data (each split on it follows both branches, weighted by
// how many training rows went each way), rather than guessed.

export interface TreeNode {
  /** Split: rows whose code for `feature` is <= `threshold` go left. Absent on leaves. */
  readonly feature?: number;
  readonly threshold?: number;
  readonly left?: TreeNode;
  readonly right?: TreeNode;
  /** Training rows (sampled) that reached this node. */
  readonly cover: number;
  /** The tree's expected output for rows reaching this node (a leaf's value). */
  readonly value: number;
}

export interface GbdtModel {
  readonly baseScore: number;
  readonly trees: readonly TreeNode[];
}

export interface GbdtParams {
  readonly trees: number;
  readonly depth: number;
  readonly learningRate: number;
  readonly lambda: number;
  readonly minChildWeight: number;
  readonly subsample: number;
  readonly colsample: number;
  readonly seed: number;
}

/** Chosen by 5-fold cross-validation on the training split (deeper trees overfit: depth 5-6 lost 0.005-0.012 AUC). */
export const defaultParams: GbdtParams = {
  trees: 500,
  depth: 3,
  learningRate: 0.05,
  lambda: 1,
  minChildWeight: 1,
  subsample: 0.8,
  colsample: 0.8,
  seed: 7,
};

/** Mulberry32: a seeded generator, so the same data and parameters train the same model. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** `rows[i][f]` is the code of feature f (0..bins[f]-1); `labels[i]` is 0 or 1. */
export function trainGbdt(
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  bins: readonly number[],
  params: GbdtParams = defaultParams,
): GbdtModel {
  const n = rows.length;
  const features = bins.length;
  const rand = random(params.seed);
  const positives = labels.reduce((s, y) => s + y, 0);
  const prior = Math.min(Math.max(positives / n, 1e-6), 1 - 1e-6);
  const baseScore = Math.log(prior / (1 - prior));
  const margin = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: TreeNode[] = [];

  for (let t = 0; t < params.trees; t++) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margin[i]!);
      grad[i] = p - labels[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-12);
    }
    const sample: number[] = [];
    for (let i = 0; i < n; i++) if (rand() < params.subsample) sample.push(i);
    const allowed = Array.from({ length: features }, (_, f) => f).filter(() => rand() < params.colsample);
    const tree = grow(sample, 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) margin[i]! += leafValue(tree, rows[i]!);

    function grow(index: number[], depth: number): TreeNode {
      let G = 0;
      let H = 0;
      for (const i of index) {
        G += grad[i]!;
        H += hess[i]!;
      }
      const value = (-G / (H + params.lambda)) * params.learningRate;
      if (depth >= params.depth || index.length < 2) return { cover: index.length, value };
      let best = { gain: 1e-9, feature: -1, threshold: -1 };
      const parentScore = (G * G) / (H + params.lambda);
      for (const f of allowed) {
        const size = bins[f]!;
        const hg = new Float64Array(size);
        const hh = new Float64Array(size);
        for (const i of index) {
          const code = rows[i]![f]!;
          hg[code]! += grad[i]!;
          hh[code]! += hess[i]!;
        }
        let gl = 0;
        let hl = 0;
        for (let c = 0; c < size - 1; c++) {
          gl += hg[c]!;
          hl += hh[c]!;
          const gr = G - gl;
          const hr = H - hl;
          if (hl < params.minChildWeight || hr < params.minChildWeight) continue;
          const gain = (gl * gl) / (hl + params.lambda) + (gr * gr) / (hr + params.lambda) - parentScore;
          if (gain > best.gain) best = { gain, feature: f, threshold: c };
        }
      }
      if (best.feature < 0) return { cover: index.length, value };
      const leftIndex: number[] = [];
      const rightIndex: number[] = [];
      for (const i of index) (rows[i]![best.feature]! <= best.threshold ? leftIndex : rightIndex).push(i);
      const left = grow(leftIndex, depth + 1);
      const right = grow(rightIndex, depth + 1);
      return {
        feature: best.feature,
        threshold: best.threshold,
        left,
        right,
        cover: index.length,
        value: (left.value * left.cover + right.value * right.cover) / Math.max(1, index.length),
      };
    }
  }
  return { baseScore, trees };
}

function leafValue(node: TreeNode, row: readonly number[]): number {
  let at = node;
  while (at.feature !== undefined) at = row[at.feature]! <= at.threshold! ? at.left! : at.right!;
  return at.value;
}

export interface Explained {
  /** Log-odds. */
  readonly margin: number;
  readonly probability: number;
  /** Log-odds each feature added along the paths taken (missing features: 0, they are averaged out). */
  readonly contributions: Float64Array;
}

/** `row[f]` undefined means the feature is unknown for this case. */
export function explainGbdt(model: GbdtModel, row: readonly (number | undefined)[], features: number): Explained {
  const contributions = new Float64Array(features);
  let margin = model.baseScore;
  const walk = (node: TreeNode, weight: number): number => {
    if (node.feature === undefined) return node.value * weight;
    const code = row[node.feature];
    if (code === undefined) {
      const l = node.left!;
      const r = node.right!;
      const total = Math.max(1, l.cover + r.cover);
      return walk(l, (weight * l.cover) / total) + walk(r, (weight * r.cover) / total);
    }
    const next = code <= node.threshold! ? node.left! : node.right!;
    contributions[node.feature]! += (next.value - node.value) * weight;
    return walk(next, weight);
  };
  for (const tree of model.trees) {
    // The root's expected value is the tree's bias; contributions explain the rest.
    margin += walk(tree, 1);
  }
  return { margin, probability: sigmoid(margin), contributions };
}

/** Area under the ROC curve (ties count half). */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j]![0] === order[i]![0]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++)
      if (order[k]![1] === 1) {
        rankSum += rank;
        positives++;
      }
    i = j;
  }
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Precision at the highest threshold whose recall reaches `recall`. */
export function precisionAtRecall(
  scores: readonly number[],
  labels: readonly number[],
  recall: number,
): { precision: number; threshold: number } {
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => b[0] - a[0]);
  const positives = labels.reduce((s, y) => s + y, 0);
  let tp = 0;
  for (let i = 0; i < order.length; i++) {
    if (order[i]![1] === 1) tp++;
    // Take all rows tied at this score before judging.
    if (i + 1 < order.length && order[i + 1]![0] === order[i]![0]) continue;
    if (tp / positives >= recall) return { precision: tp / (i + 1), threshold: order[i]![0] };
  }
  return { precision: positives / order.length, threshold: -Infinity };
}
