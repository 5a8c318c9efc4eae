package dev.sourcevitess.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of the packaged jar as Airbyte runs it: a process, its stdout lines, its exit code. */
final class ConnectorRun {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  final int exit;
  final List<String> lines;
  final List<JsonNode> messages;
  final String stderr;

  private ConnectorRun(int exit, List<String> lines, String stderr) {
    this.exit = exit;
    this.lines = lines;
    this.stderr = stderr;
    this.messages = new ArrayList<>();
    for (String line : lines) {
      try {
        messages.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("stdout holds a line that is not JSON: " + line, e);
      }
    }
  }

  static Path jar() {
    String path = System.getProperty("connector.jar", "target/source-vitess.jar");
    Path jar = Path.of(path);
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("no connector jar at " + jar + ": run `mvn verify` (it packages before these tests)");
    }
    return jar;
  }

  static ConnectorRun of(String... args) throws IOException, InterruptedException {
    return of(List.of(), args);
  }

  /** Runs the jar with extra JVM options (a trust store, say) before {@code -jar}. */
  static ConnectorRun of(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("connector", ".out");
    Path err = Files.createTempFile("connector", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the connector did not finish in 180 s: " + command);
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
      return new ConnectorRun(process.exitValue(), lines, Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** What a test does while the jar runs, once it has written its first STATE after some records. */
  @FunctionalInterface
  interface AtState {
    /** @return true to kill the jar there, as a crashed or cancelled sync ends; false to let it finish */
    boolean act() throws Exception;
  }

  /**
   * Runs the jar and, at its first STATE after {@code records} records or more, calls {@code action}:
   * what the jar wrote until it was killed, or until it ended, is the run's output.
   */
  static ConnectorRun atFirstStateAfter(int records, AtState action, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar().toString()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("connector", ".err");
    Process process = new ProcessBuilder(command).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    List<String> lines = new ArrayList<>();
    int seen = 0;
    boolean acted = false;
    try (java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        lines.add(line);
        seen += line.startsWith("{\"type\":\"RECORD\"") ? 1 : 0;
        if (!acted && seen >= records && line.startsWith("{\"type\":\"STATE\"")) {
          acted = true;
          if (action.act()) {
            process.destroyForcibly();
            break;
          }
        }
      }
    }
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the connector did not finish in 180 s: " + command);
    }
    try {
      return new ConnectorRun(process.exitValue(), lines, Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /**
   * This discover run's streams (those named in {@code tables}, or all when it is empty), configured
   * as the Airbyte UI would configure them, as the text of a configured catalog.
   */
  String configuredCatalog(String syncMode, java.util.Set<String> tables) {
    com.fasterxml.jackson.databind.node.ArrayNode streams = JSON.createArrayNode();
    for (JsonNode stream : only("CATALOG").path("catalog").path("streams")) {
      if (!tables.isEmpty() && !tables.contains(stream.path("name").asText())) {
        continue;
      }
      com.fasterxml.jackson.databind.node.ObjectNode entry = streams.addObject();
      entry.set("stream", stream);
      entry.put("sync_mode", syncMode);
      entry.put("destination_sync_mode", syncMode.equals("incremental") ? "append_dedup" : "overwrite");
      entry.set("cursor_field", JSON.createArrayNode().add("_ab_cdc_cursor"));
      entry.set("primary_key", stream.path("source_defined_primary_key"));
    }
    return JSON.createObjectNode().set("streams", streams).toString();
  }

  /** The last STATE of every stream in these runs, as Airbyte hands them to the next sync. */
  static String lastStates(ConnectorRun... runs) {
    java.util.Map<String, JsonNode> last = new java.util.LinkedHashMap<>();
    for (ConnectorRun run : runs) {
      run.ofType("STATE").forEach(m -> last.put(
          m.path("state").path("stream").path("stream_descriptor").path("name").asText(), m.path("state")));
    }
    com.fasterxml.jackson.databind.node.ArrayNode states = JSON.createArrayNode();
    last.values().forEach(states::add);
    return states.toString();
  }

  List<JsonNode> ofType(String type) {
    return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
  }

  JsonNode only(String type) {
    List<JsonNode> found = ofType(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type + ", got " + found.size() + ": " + lines);
    }
    return found.get(0);
  }

  List<JsonNode> records(String stream) {
    return ofType("RECORD").stream().filter(m -> m.path("record").path("stream").asText().equals(stream))
        .map(m -> m.path("record").path("data")).toList();
  }

  List<JsonNode> states(String stream) {
    return ofType("STATE").stream()
        .filter(m -> m.path("state").path("stream").path("stream_descriptor").path("name").asText().equals(stream))
        .map(m -> m.path("state")).toList();
  }

  List<String> statuses(String stream) {
    return ofType("TRACE").stream().filter(m -> m.path("trace").path("type").asText().equals("STREAM_STATUS"))
        .map(m -> m.path("trace").path("stream_status"))
        .filter(s -> s.path("stream_descriptor").path("name").asText().equals(stream))
        .map(s -> s.path("status").asText()).toList();
  }

  JsonNode error() {
    return ofType("TRACE").stream().filter(m -> m.path("trace").path("type").asText().equals("ERROR"))
        .map(m -> m.path("trace").path("error")).findFirst()
        .orElseThrow(() -> new AssertionError("no TRACE ERROR in " + lines));
  }

  /** Every line is a protocol message: nothing else may reach stdout. */
  void assertOnlyMessages() {
    for (JsonNode m : messages) {
      String type = m.path("type").asText();
      if (!List.of("RECORD", "STATE", "LOG", "TRACE", "SPEC", "CATALOG", "CONNECTION_STATUS").contains(type)) {
        throw new AssertionError("not an Airbyte message: " + m);
      }
    }
  }

  void assertNothingContains(String secret) {
    for (String line : lines) {
      if (line.contains(secret)) {
        throw new AssertionError("the secret appears in the output: " + line);
      }
    }
    if (stderr.contains(secret)) {
      throw new AssertionError("the secret appears on stderr");
    }
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n" + String.join("\n", lines) + "\n" + stderr;
  }
}
