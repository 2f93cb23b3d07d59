/** The languages every user-facing term is given in. */
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** A term in both languages. */
export interface Label {
  readonly zh: string;
  readonly en: string;
}
