package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandTest {

  @Test
  void parsesEveryCommand() {
    assertEquals(new Command(Command.Kind.SPEC, Optional.empty(), Optional.empty(), Optional.empty()),
        Command.parse("spec"));
    assertEquals(new Command(Command.Kind.CHECK, Optional.of(Path.of("c.json")), Optional.empty(), Optional.empty()),
        Command.parse("check", "--config", "c.json"));
    assertEquals(new Command(Command.Kind.DISCOVER, Optional.of(Path.of("c.json")), Optional.empty(), Optional.empty()),
        Command.parse("discover", "--config=c.json"));
    assertEquals(new Command(Command.Kind.READ, Optional.of(Path.of("c.json")), Optional.of(Path.of("cat.json")),
        Optional.empty()), Command.parse("read", "--config", "c.json", "--catalog", "cat.json"));
    assertEquals(new Command(Command.Kind.READ, Optional.of(Path.of("c.json")), Optional.of(Path.of("cat.json")),
        Optional.of(Path.of("s.json"))),
        Command.parse("read", "--state", "s.json", "--catalog", "cat.json", "--config", "c.json"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|no command given",
      "sync|unknown command 'sync'",
      "check|check needs --config",
      "discover --config|--config needs a file path",
      "read --config c.json|read needs --catalog",
      "spec --config c.json|spec takes no --config",
      "check --config c.json --catalog cat.json|check takes no --catalog or --state",
      "check --config a.json --config b.json|--config given twice",
      "check --config c.json --verbose x|unknown argument '--verbose'",
      "check --config=|--config needs a file path",
  })
  void refusesBadArgumentsWithUsage(String line, String problem) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Command.parse(args));
    assertTrue(e.getMessage().startsWith(problem), e.getMessage());
    assertTrue(e.getMessage().endsWith(Command.USAGE), e.getMessage());
  }

  @Test
  void validatesWhenBuiltDirectly() {
    assertThrows(IllegalArgumentException.class,
        () -> new Command(Command.Kind.READ, Optional.of(Path.of("c")), Optional.empty(), Optional.empty()));
  }
}
