/** An error the user can fix: printed as-is, without a stack trace, and the process exits non-zero. */
export class UserError extends Error {
  override name = 'UserError';
}

/** One or more options were invalid; each message already names the option (input or variable). */
export class OptionError extends UserError {
  override name = 'OptionError';
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `invalid options:\n  ${problems.join('\n  ')}`);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
