// Lines of business and the perils each can cover. Product definitions (which perils a given policy
// covers, with what limits) are data on the policy; this list is the vocabulary they draw from.

export const linesOfBusiness = ['motor', 'home'] as const;
export type LineOfBusiness = (typeof linesOfBusiness)[number];

export const perilsByLine = {
  motor: ['collision', 'theft', 'glass', 'fire', 'storm', 'vandalism', 'third_party_liability'],
  home: ['fire', 'water_damage', 'storm', 'theft', 'burglary', 'liability', 'accidental_damage'],
} as const satisfies Record<LineOfBusiness, readonly string[]>;

export type Peril = (typeof perilsByLine)[LineOfBusiness][number];

export const allPerils: readonly Peril[] = [...new Set<Peril>(Object.values(perilsByLine).flat())];

export function isPeril(value: string): value is Peril {
  return (allPerils as readonly string[]).includes(value);
}

/** Each peril in plain words, for letters, prompts and the review queue. */
export const perilNames: Readonly<Record<Peril, string>> = {
  collision: 'collision',
  theft: 'theft',
  glass: 'glass',
  fire: 'fire',
  storm: 'storm',
  vandalism: 'vandalism',
  third_party_liability: 'third party liability',
  water_damage: 'water damage',
  burglary: 'burglary',
  liability: 'liability',
  accidental_damage: 'accidental damage',
};
