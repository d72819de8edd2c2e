/**
 * Turns the first Ctrl-C (SIGINT) into a flag the training loop polls between steps, so it can write a
 * checkpoint and exit cleanly; a second Ctrl-C exits at once (code 130).
 */
export class InterruptFlag {
  private requested = false;
  private readonly handler = (): void => {
    if (this.requested) {
      process.stderr.write('\nsecond interrupt: exiting without a checkpoint\n');
      process.exit(130);
    }
    this.requested = true;
    process.stderr.write(
      '\ninterrupt: finishing the current step and writing a checkpoint (Ctrl-C again to abort)\n',
    );
  };

  get isRequested(): boolean {
    return this.requested;
  }

  /** For tests and programmatic stops. */
  request(): void {
    this.requested = true;
  }

  install(): this {
    process.on('SIGINT', this.handler);
    return this;
  }

  uninstall(): void {
    process.off('SIGINT', this.handler);
  }
}
