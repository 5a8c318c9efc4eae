package dev.sourcevitess.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the image's contract with Airbyte is checked by reading the
 * Dockerfile: the launcher runs {@code $AIRBYTE_ENTRYPOINT read ...} under sh, so it must equal
 * the ENTRYPOINT; labels name and version the connector; the jar copied is the one the build makes.
 */
class DockerfileContractTest {
  private final List<String> lines = instructions(Path.of("Dockerfile"));

  private static List<String> instructions(Path file) {
    try {
      List<String> out = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank() || line.stripLeading().startsWith("#")) {
          continue;
        }
        current.append(line.strip());
        if (line.endsWith("\\")) {
          current.setLength(current.length() - 1);
          current.append(' ');
        } else {
          out.add(current.toString());
          current.setLength(0);
        }
      }
      return out;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> all(String instruction) {
    return lines.stream().filter(l -> l.startsWith(instruction + " ")).map(l -> l.substring(instruction.length() + 1))
        .toList();
  }

  private String last(String instruction) {
    List<String> found = all(instruction);
    assertFalse(found.isEmpty(), "no " + instruction);
    return found.get(found.size() - 1);
  }

  @Test
  void isMultiStageWithASlimJreRuntime() {
    List<String> froms = all("FROM");
    assertEquals(2, froms.size());
    assertTrue(froms.get(0).contains(" AS build"), froms.get(0));
    assertTrue(froms.get(1).contains("jre"), "the runtime stage is a JRE image: " + froms.get(1));
  }

  @Test
  void runsAsANonRootUser() {
    String user = last("USER");
    assertFalse(user.equals("root") || user.equals("0"), user);
  }

  @Test
  void airbyteEntrypointEqualsTheEntrypoint() {
    Matcher env = Pattern.compile("AIRBYTE_ENTRYPOINT=\"([^\"]+)\"").matcher(last("ENV"));
    assertTrue(env.find(), "ENV AIRBYTE_ENTRYPOINT=\"...\"");
    String entrypoint = last("ENTRYPOINT");
    assertTrue(entrypoint.startsWith("[") && entrypoint.endsWith("]"), "exec form: " + entrypoint);
    List<String> words = new ArrayList<>();
    Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(entrypoint);
    while (word.find()) {
      words.add(word.group(1));
    }
    assertEquals(env.group(1), String.join(" ", words));
  }

  @Test
  void labelsNameAndVersionTheConnector() {
    String labels = String.join(" ", all("LABEL"));
    assertTrue(labels.contains("io.airbyte.name="), labels);
    String version = System.getProperty("project.version");
    assertNotNull(version);
    assertTrue(labels.contains("io.airbyte.version=\"" + version + "\""), "the label follows the pom: " + labels);
  }

  @Test
  void copiesTheJarTheBuildMakesAndTheTestsRun() {
    String copy = all("COPY").stream().filter(c -> c.startsWith("--from=build")).findFirst().orElseThrow();
    String[] parts = copy.split("\\s+");
    String built = parts[1];
    String runtime = parts[2];
    assertTrue(built.startsWith("/src/"), built);
    Path inRepo = Path.of("..").resolve(built.substring("/src/".length()));
    assertTrue(Files.isRegularFile(inRepo), "the build makes " + inRepo + ", which the end-to-end tests run");
    assertTrue(last("ENTRYPOINT").contains("\"" + runtime + "\""), "the entrypoint runs the copied jar");
  }
}
