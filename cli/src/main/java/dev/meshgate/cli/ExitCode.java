package dev.meshgate.cli;

/** The process exit codes every subcommand shares; scripts and CI branch on them. */
final class ExitCode {
  /** Done, nothing wrong (warnings allowed). */
  static final int OK = 0;

  /** The policy has errors (diagnostics were printed). */
  static final int POLICY_ERRORS = 1;

  /** The command line was wrong (message and usage were printed). */
  static final int USAGE = 2;

  /** Something outside the policy failed: a file, a port, a process. */
  static final int FAILURE = 3;

  /** {@code plan} only: the plan has changes (so CI can tell "changes" from "no changes"). */
  static final int CHANGES = 4;

  /**
   * A bug in meshgate (an exception or error it did not expect), never a verdict on the policy; 70
   * is sysexits' EX_SOFTWARE, so CI can tell "meshgate broke" from "the policy is broken".
   */
  static final int INTERNAL = 70;

  private ExitCode() {}
}
