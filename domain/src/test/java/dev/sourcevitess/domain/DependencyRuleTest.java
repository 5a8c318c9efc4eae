package dev.sourcevitess.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The domain depends on nothing but the JDK: no adapter, driver, JSON or gRPC type reaches it. */
class DependencyRuleTest {
  private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

  @Test
  void domainImportsOnlyTheJdkAndItself() throws IOException {
    Path sources = Path.of("src/main/java");
    assertTrue(Files.isDirectory(sources), "run from the domain module");
    List<String> offending;
    try (Stream<Path> files = Files.walk(sources)) {
      offending = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
        try {
          Matcher m = IMPORT.matcher(Files.readString(p));
          return m.results().map(r -> r.group(2)).filter(i -> !i.startsWith("java.")
              && !i.startsWith("dev.sourcevitess.domain.")).map(i -> p.getFileName() + ": " + i).toList().stream();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertEquals(List.of(), offending);
  }

  @Test
  void theModelDependsOnNoPortOrService() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/sourcevitess/domain/model"))) {
      List<String> offending = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
        try {
          String text = Files.readString(p);
          return text.contains("dev.sourcevitess.domain.port") || text.contains("dev.sourcevitess.domain.service");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).map(Path::toString).toList();
      assertEquals(List.of(), offending);
    }
  }
}
