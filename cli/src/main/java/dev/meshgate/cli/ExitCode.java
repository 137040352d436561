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

  private ExitCode() {}
}
