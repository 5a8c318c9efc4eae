package dev.sourcevitess.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Helpers of bench/run.sh, reading and writing Airbyte messages:
 *
 * <pre>
 * catalog DISCOVER_OUT SYNC_MODE OUT [STREAM...]   a configured catalog of the discovered streams
 *                                                  (all, or those named)
 * state READ_OUT OUT                               the state to resume from: each stream's last STATE
 * count READ_OUT                                   RECORD and STATE counts, and the TRACE ERROR if any
 * </pre>
 */
public final class Tools {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Tools() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "catalog" -> catalog(Path.of(args[1]), args[2], Path.of(args[3]),
          java.util.Arrays.asList(args).subList(4, args.length));
      case "state" -> state(Path.of(args[1]), Path.of(args[2]));
      case "count" -> count(Path.of(args[1]));
      default -> throw new IllegalArgumentException("unknown tool " + args[0]);
    }
  }

  private static void catalog(Path discover, String syncMode, Path out, java.util.List<String> only)
      throws Exception {
    ArrayNode streams = JSON.createArrayNode();
    try (BufferedReader in = Files.newBufferedReader(discover, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        JsonNode message = JSON.readTree(line);
        if (!message.path("type").asText().equals("CATALOG")) {
          continue;
        }
        for (JsonNode stream : message.path("catalog").path("streams")) {
          if (!only.isEmpty() && !only.contains(stream.path("name").asText())) {
            continue;
          }
          ObjectNode entry = streams.addObject();
          entry.set("stream", stream);
          entry.put("sync_mode", syncMode);
          entry.put("destination_sync_mode", syncMode.equals("incremental") ? "append_dedup" : "overwrite");
          entry.set("cursor_field", JSON.createArrayNode().add("_ab_cdc_cursor"));
          entry.set("primary_key", stream.path("source_defined_primary_key"));
        }
      }
    }
    if (streams.isEmpty()) {
      throw new IllegalStateException("no CATALOG with the wanted streams in " + discover);
    }
    Files.writeString(out, JSON.createObjectNode().set("streams", streams).toString());
  }

  private static void state(Path read, Path out) throws Exception {
    Map<String, JsonNode> last = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(read, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!line.contains("\"STATE\"")) {
          continue;
        }
        JsonNode message = JSON.readTree(line);
        if (message.path("type").asText().equals("STATE")) {
          JsonNode descriptor = message.path("state").path("stream").path("stream_descriptor");
          last.put(descriptor.path("namespace").asText() + "." + descriptor.path("name").asText(),
              message.path("state"));
        }
      }
    }
    ArrayNode states = JSON.createArrayNode();
    last.values().forEach(states::add);
    Files.writeString(out, states.toString());
    System.out.println(last.size() + " stream states");
  }

  private static void count(Path read) throws Exception {
    long records = 0;
    long states = 0;
    String error = null;
    try (BufferedReader in = Files.newBufferedReader(read, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("{\"type\":\"RECORD\"")) {
          records++;
        } else if (line.startsWith("{\"type\":\"STATE\"")) {
          states++;
        } else if (line.contains("\"ERROR\"")) {
          error = line;
        }
      }
    }
    System.out.println("records=" + records + " states=" + states + (error == null ? "" : " error=" + error));
  }
}
