/** A source holds rows of a company the caller may not write; nothing of it is committed. */
export class WriteScopeError extends Error {
  override readonly name = 'WriteScopeError';
  readonly companies: readonly string[];

  constructor(file: string, allowed: string, companies: readonly string[]) {
    super(
      `${file}: holds rows of ${companies.map((c) => JSON.stringify(c)).join(', ')}, but this caller may write only ` +
        `company ${JSON.stringify(allowed)}: nothing of the file was written`,
    );
    this.companies = companies;
  }
}

/** The companies of staged files, from their Hive `company=` folders (every table that holds rows has one). */
export function stagedCompanies(files: readonly string[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    const m = /(?:^|[\\/])company=([^\\/]+)[\\/]/u.exec(f);
    if (m?.[1] !== undefined) out.add(decodeURIComponent(m[1]));
  }
  return [...out].sort();
}

/** Refuses (before the commit) a source whose staged rows name a company other than `allowed`; null: any. */
export function assertWriteScope(file: string, staged: readonly string[], allowed: string | null): void {
  if (allowed === null) return;
  const others = stagedCompanies(staged).filter((c) => c !== allowed);
  if (others.length) throw new WriteScopeError(file, allowed, others);
}
