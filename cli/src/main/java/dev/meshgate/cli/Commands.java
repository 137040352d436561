package dev.meshgate.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The subcommands of {@code meshgate}, in the order help lists them, and which of them a run needs
 * built (issue 17.4). picocli builds the model of every command it is given (an instance, then
 * reflection over each option, mixin and converter, loading the server's and the adapters'
 * classes): a large part of a short {@code check}'s start-up. A run builds only the command its
 * first word names; every other command is a stub with that command's name and header, enough for
 * the top-level help and the did-you-mean of a mistyped command to read as before. CommandsTest
 * pins the headers here to the commands' own and the lazily built help to the whole tree's.
 */
final class Commands {
  private Commands() {}

  /** One subcommand: its name, the header the top-level help lists, and its picocli class. */
  record Entry(String name, String header, Class<?> type) {}

  static final List<Entry> ALL =
      List.of(
          new Entry("check", "Check policy files and report every finding.", CheckCommand.class),
          new Entry(
              "compile",
              "Compile policy files to Envoy resources on disk, or to a bundle for serve --bundle.",
              CompileCommand.class),
          new Entry(
              "test",
              "Run the policy's test blocks against its compiled Envoy configuration.",
              TestCommand.class),
          new Entry(
              "plan",
              "Show what a policy change does to the Envoy configuration of each proxy group.",
              PlanCommand.class),
          new Entry("fmt", "Rewrite policy files in the canonical layout.", FmtCommand.class),
          new Entry("serve", "Serve the policy to Envoys over xDS.", ServeCommand.class),
          new Entry(
              "bootstrap",
              "Write an Envoy bootstrap for a gateway or a sidecar.",
              BootstrapCommand.class),
          new Entry(
              "ca",
              "Manage the built-in CA that issues xDS and workload certificates.",
              CaCommand.class),
          new Entry(
              "bundle",
              "Policy bundles: signing keys, and checking a bundle as a server would.",
              BundleCommand.class),
          new Entry(
              "status",
              "Show every proxy connected to a running server and whether it is in sync.",
              StatusCommand.class),
          new Entry(
              "config", "Show what a running server serves one proxy group.", ConfigCommand.class),
          new Entry(
              "explain",
              "Say what a running server's proxies do with one request, and why.",
              ExplainCommand.class),
          new Entry(
              "version",
              "Show the version of this meshgate and of a running server.",
              VersionCommand.class),
          new Entry(
              "generate-completion",
              "Generate bash/zsh completion script for meshgate.",
              picocli.AutoComplete.GenerateCompletion.class),
          new Entry(
              "help",
              "Display help information about the specified command.",
              CommandLine.HelpCommand.class));

  /** Adds every subcommand to {@code cl}, built for real. */
  static void addAll(CommandLine cl) {
    for (Entry entry : ALL) {
      cl.addSubcommand(entry.name(), entry.type());
    }
  }

  /** Adds every subcommand to {@code cl}: those {@code args} can run built, the others stubs. */
  static void addFor(CommandLine cl, String... args) {
    List<String> real = needed(args);
    for (Entry entry : ALL) {
      if (real.contains(entry.name())) {
        cl.addSubcommand(entry.name(), entry.type());
      } else {
        CommandSpec stub = CommandSpec.create().name(entry.name());
        stub.usageMessage().header(entry.header());
        cl.addSubcommand(entry.name(), stub);
      }
    }
  }

  /**
   * The commands {@code args} may run, by name: the one its first word names ({@code help} also the
   * one after it; {@code generate-completion} every one, it describes them all), none when there is
   * no word (help, usage, version), and every one when the first word is no command: it may be an
   * option's value ({@code --color never check}), and then only the whole tree parses it as before.
   */
  static List<String> needed(String... args) {
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      if (arg.equals("--")) {
        break; // what follows is the arguments of a command, not a command
      }
      if (!arg.startsWith("-")) {
        words.add(arg);
      }
    }
    List<String> all = ALL.stream().map(Entry::name).toList();
    if (words.isEmpty()) {
      return List.of();
    }
    String first = words.get(0);
    if (!all.contains(first) || first.equals("generate-completion")) {
      return all;
    }
    if (first.equals("help") && words.size() > 1) {
      return all.contains(words.get(1)) ? List.of(first, words.get(1)) : all;
    }
    return List.of(first);
  }
}
