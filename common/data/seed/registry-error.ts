/** A registry or mapping file refused: every problem as `file:line [column]: message`, nothing written. */
export class RegistryValidationError extends Error {
  /** One line: how many problems, and that nothing was written (the message adds the first 50 problems). */
  readonly summary: string;

  constructor(readonly problems: string[]) {
    const summary = `${problems.length} problem${problems.length === 1 ? '' : 's'} in the registry files: nothing was written`;
    super(`${summary}\n  ${problems.slice(0, 50).join('\n  ')}`);
    this.summary = summary;
    this.name = 'RegistryValidationError';
  }
}
