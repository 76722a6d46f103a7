package dev.tokensink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The CLI builds only the part of its command tree that the arguments name ({@link Main#tree}); a
 * command must parse, validate and describe itself exactly as in the whole tree.
 */
class CommandTreeTest {
  private final CommandLine.IFactory factory =
      new Cli.Factory(new Cli(InputStream.nullInputStream(), System.out, System.err, Map.of()));

  @Test
  void everyCommandPath_hasTheSameModelAsInTheWholeTree() {
    CommandLine whole = Main.tree(factory);
    List<List<String>> paths = new ArrayList<>();
    collect(whole, new ArrayList<>(), paths);
    assertTrue(paths.size() >= 20, "command paths: " + paths);
    for (List<String> path : paths) {
      String[] args = path.toArray(String[]::new);
      CommandLine lazy = Main.tree(factory, args);
      CommandLine leafLazy = leaf(lazy, path);
      CommandLine leafWhole = leaf(whole, path);
      assertEquals(leafWhole.getUsageMessage(), leafLazy.getUsageMessage(), "usage of " + path);
      assertEquals(
          names(leafWhole.getCommandSpec().options()),
          names(leafLazy.getCommandSpec().options()),
          "options of " + path);
      assertEquals(
          leafWhole.getSubcommands().keySet(),
          leafLazy.getSubcommands().keySet(),
          "subcommands of " + path);
    }
  }

  @Test
  void aNamedCommand_buildsOnlyItsPath_anUnknownOrHelpBuildsAll() {
    CommandLine status = Main.tree(factory, "models", "status", "--json");
    assertEquals(List.of("models"), List.copyOf(status.getSubcommands().keySet()));
    assertEquals(
        List.of("status"),
        List.copyOf(status.getSubcommands().get("models").getSubcommands().keySet()));
    int all = Main.tree(factory).getSubcommands().size();
    assertEquals(all, Main.tree(factory, "--help").getSubcommands().size());
    assertEquals(all, Main.tree(factory, "modles", "status").getSubcommands().size());
    assertEquals(all, Main.tree(factory, "help", "models").getSubcommands().size());
    assertEquals(
        2,
        Main.tree(factory, "models", "--help")
            .getSubcommands()
            .get("models")
            .getSubcommands()
            .size());
  }

  private static void collect(CommandLine c, List<String> prefix, List<List<String>> out) {
    for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      out.add(path);
      collect(e.getValue(), path, out);
    }
  }

  private static CommandLine leaf(CommandLine root, List<String> path) {
    CommandLine c = root;
    for (String name : path) {
      c = c.getSubcommands().get(name);
    }
    return c;
  }

  private static List<String> names(List<CommandLine.Model.OptionSpec> options) {
    return options.stream().map(o -> Arrays.toString(o.names())).sorted().toList();
  }
}
