/** The errno code of a failed system call (`ENOENT`, `EACCES`…), or the error's message. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}
