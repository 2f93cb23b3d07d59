/** A command-line or API option is wrong (a flag's value, a file it names): the message says which and why. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
