// Generalised linear models with a log link, fitted by iteratively reweighted least squares: Poisson
// claim frequency with log(exposure) as offset, and Gamma claim severity weighted by claim counts, as in
// Ohlsson & Johansson (2010). Categorical factors in dummy coding against a base level. The data are
// aggregated to tariff cells first (the estimates are the same, the fit far faster).

export interface CellData {
  /** One level per factor. */
  readonly levels: readonly string[];
  /** Poisson: exposure (offset); Gamma: claim count (prior weight). */
  readonly weight: number;
  /** Poisson: claim count; Gamma: mean claim cost. */
  readonly response: number;
}

export interface GlmFit {
  readonly family: 'poisson' | 'gamma';
  /** `intercept`, then `factor=level` for every non-base level. */
  readonly names: readonly string[];
  readonly coefficients: readonly number[];
  readonly baseLevels: readonly string[];
  readonly deviance: number;
  readonly iterations: number;
}

export function designRow(
  levels: readonly string[],
  factorLevels: readonly (readonly string[])[],
  baseLevels: readonly string[],
): number[] {
  const row = [1];
  factorLevels.forEach((all, f) => {
    for (const level of all) if (level !== baseLevels[f]) row.push(levels[f] === level ? 1 : 0);
  });
  return row;
}

export function coefficientNames(
  factors: readonly string[],
  factorLevels: readonly (readonly string[])[],
  baseLevels: readonly string[],
): string[] {
  const names = ['intercept'];
  factorLevels.forEach((all, f) => {
    for (const level of all) if (level !== baseLevels[f]) names.push(`${factors[f]}=${level}`);
  });
  return names;
}

/** Solves A x = b for symmetric positive definite A (Cholesky). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (sum <= 0) throw new Error('The design is singular: a factor level has no data');
        l[i]![i] = Math.sqrt(sum);
      } else l[i]![j] = sum / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

export function poissonDeviance(observed: number, expected: number): number {
  return 2 * ((observed > 0 ? observed * Math.log(observed / expected) : 0) - (observed - expected));
}

export function gammaDeviance(observed: number, expected: number, weight: number): number {
  return 2 * weight * (-Math.log(observed / expected) + (observed - expected) / expected);
}

export function fitGlm(
  family: 'poisson' | 'gamma',
  cells: readonly CellData[],
  factors: readonly string[],
  factorLevels: readonly (readonly string[])[],
  baseLevels: readonly string[],
  { tolerance = 1e-10, maxIterations = 100 } = {},
): GlmFit {
  const used = cells.filter((c) => c.weight > 0);
  const x = used.map((c) => designRow(c.levels, factorLevels, baseLevels));
  const p = x[0]!.length;
  const offset = used.map((c) => (family === 'poisson' ? Math.log(c.weight) : 0));
  // Start from the overall rate (Poisson) or mean (Gamma) in the intercept.
  const totalW = used.reduce((s, c) => s + c.weight, 0);
  const totalY = used.reduce((s, c) => s + (family === 'poisson' ? c.response : c.response * c.weight), 0);
  let beta = new Array<number>(p).fill(0);
  beta[0] = Math.log(totalY / totalW);
  let deviance = Infinity;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const xtwz = new Array<number>(p).fill(0);
    used.forEach((c, i) => {
      const eta = offset[i]! + x[i]!.reduce((s, v, j) => s + v * beta[j]!, 0);
      const mu = Math.exp(eta);
      // Log link: working weight is mu (Poisson) or the prior weight (Gamma, variance mu^2).
      const w = family === 'poisson' ? mu : c.weight;
      const z = eta - offset[i]! + (c.response - mu) / mu;
      for (let a = 0; a < p; a++) {
        const xa = x[i]![a]!;
        if (xa === 0) continue;
        xtwz[a]! += w * xa * z;
        for (let b = 0; b < p; b++) xtwx[a]![b]! += w * xa * x[i]![b]!;
      }
    });
    const previous = beta;
    beta = solve(xtwx, xtwz);
    const step = Math.max(...beta.map((b, j) => Math.abs(b - previous[j]!)));
    const next = used.reduce((s, c, i) => {
      const mu = Math.exp(offset[i]! + x[i]!.reduce((t, v, j) => t + v * beta[j]!, 0));
      return s + (family === 'poisson' ? poissonDeviance(c.response, mu) : gammaDeviance(c.response, mu, c.weight));
    }, 0);
    // Both the deviance and the coefficients must settle: a flat Gamma deviance can stop moving first.
    const converged = Math.abs(next - deviance) / (Math.abs(next) + 0.1) < tolerance && step < 1e-10;
    deviance = next;
    if (converged) break;
  }
  return {
    family,
    names: coefficientNames(factors, factorLevels, baseLevels),
    coefficients: beta,
    baseLevels,
    deviance,
    iterations: iterations + 1,
  };
}

export function predictGlm(
  fit: Pick<GlmFit, 'coefficients' | 'baseLevels'>,
  levels: readonly string[],
  factorLevels: readonly (readonly string[])[],
): number {
  const row = designRow(levels, factorLevels, fit.baseLevels);
  return Math.exp(row.reduce((s, v, j) => s + v * fit.coefficients[j]!, 0));
}
