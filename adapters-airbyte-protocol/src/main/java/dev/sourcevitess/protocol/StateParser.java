package dev.sourcevitess.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state Airbyte hands back to the per-stream cursors, which stay opaque strings here.
 *
 * <p>Accepted: Airbyte's array of STREAM state messages; PlanetScale's connector's legacy state
 * ({@code {"streams": {"<keyspace>:<table>": {"shards": ...}}}}), bare, under {@code data}, or in a
 * LEGACY message, alone or in an array, so its users can switch without a resync; and nothing at all.
 */
final class StateParser {
  private static final String EXPECTED = "a JSON array of STREAM state messages";
  private static final String SHAPE = "{\"shards\": {\"<shard>\": {\"cursor\": \"...\"}}}";

  private final JsonInput input;

  StateParser(JsonInput input) {
    this.input = input;
  }

  Map<StreamId, StreamState> parse(Path file) {
    JsonNode root = input.read(file, "state", EXPECTED, true);
    Map<StreamId, StreamState> states = new LinkedHashMap<>();
    if (root.isMissingNode() || root.isNull()) {
      return Map.of();
    }
    if (root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        message(root.get(i), "state[" + i + "]", states);
      }
    } else if (root.isObject()) {
      if (root.isEmpty()) {
        return Map.of();
      }
      if (root.has("type") || root.has("data") || root.has("stream") || root.has("global")) {
        message(root, "state", states);
      } else if (root.has("streams")) {
        legacy(root, "state", states);
      } else {
        throw invalid("state", EXPECTED + " (or PlanetScale's legacy {\"streams\": {...}} object)", root);
      }
    } else {
      throw invalid("state", EXPECTED, root);
    }
    return states;
  }

  /** One state message: STREAM, LEGACY (also without a type, as the protocol says), or a wrapped STATE message. */
  private static void message(JsonNode message, String path, Map<StreamId, StreamState> states) {
    if (message == null || message.isNull()) {
      return;
    }
    if (!message.isObject()) {
      throw invalid(path, "a state message object", message);
    }
    JsonNode type = message.get("type");
    if (type != null && type.isTextual() && type.textValue().equals("STATE") && message.has("state")) {
      message(message.get("state"), path + ".state", states);
      return;
    }
    String kind = type == null || type.isNull() ? null : type.isTextual() ? type.textValue() : "";
    if (kind == null) {
      if (message.has("stream")) {
        kind = "STREAM";
      } else if (message.has("streams")) {
        legacy(message, path, states);
        return;
      } else {
        kind = "LEGACY";
      }
    }
    switch (kind) {
      case "STREAM" -> stream(message.get("stream"), path + ".stream", states);
      case "LEGACY" -> {
        JsonNode data = message.get("data");
        if (data != null && !data.isNull()) {
          legacy(data, path + ".data", states);
        }
      }
      case "GLOBAL" -> throw SourceException.config("Invalid state: " + path
          + " is a GLOBAL state, but this connector keeps per-stream (STREAM) state, one per table;"
          + " reset the connection's state so the streams start afresh.");
      default -> throw invalid(path + ".type", "STREAM (or LEGACY)", type);
    }
  }

  private static void stream(JsonNode stream, String path, Map<StreamId, StreamState> states) {
    if (stream == null || !stream.isObject()) {
      throw invalid(path, "{\"stream_descriptor\": {...}, \"stream_state\": {...}}", stream);
    }
    JsonNode descriptor = stream.get("stream_descriptor");
    if (descriptor == null || !descriptor.isObject()) {
      throw invalid(path + ".stream_descriptor", "{\"name\": ..., \"namespace\": ...}", descriptor);
    }
    JsonNode name = descriptor.get("name");
    if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
      throw invalid(path + ".stream_descriptor.name", "the stream's name", name);
    }
    JsonNode namespace = descriptor.get("namespace");
    if (namespace != null && !namespace.isNull() && !namespace.isTextual()) {
      throw invalid(path + ".stream_descriptor.namespace", "a string", namespace);
    }
    StreamId id = new StreamId(namespace == null || namespace.isNull() ? "" : namespace.textValue(), name.textValue());
    put(id, stream.get("stream_state"), path + ".stream_state", states);
  }

  /** {@code {"streams": {"<keyspace>:<table>": {"shards": ...}}}}, PlanetScale's connector's state. */
  private static void legacy(JsonNode data, String path, Map<StreamId, StreamState> states) {
    if (!data.isObject()) {
      throw invalid(path, "{\"streams\": {\"<keyspace>:<table>\": " + SHAPE + "}}", data);
    }
    JsonNode streams = data.get("streams");
    if (streams == null || streams.isNull()) {
      return;
    }
    if (!streams.isObject()) {
      throw invalid(path + ".streams", "an object keyed by \"<keyspace>:<table>\"", streams);
    }
    for (Map.Entry<String, JsonNode> entry : streams.properties()) {
      String key = entry.getKey();
      int colon = key.indexOf(':');
      if (colon < 0 || colon == key.length() - 1) {
        throw SourceException.config("Invalid state: " + path + ".streams has the key " + JsonInput.quote(key)
            + "; expected \"<keyspace>:<table>\".");
      }
      StreamId id = new StreamId(key.substring(0, colon), key.substring(colon + 1));
      put(id, entry.getValue(), path + ".streams[" + JsonInput.quote(key) + "]", states);
    }
  }

  /** A stream's state; one that is null or empty says nothing and is skipped. */
  private static void put(StreamId id, JsonNode state, String path, Map<StreamId, StreamState> states) {
    if (state == null || state.isNull() || (state.isObject() && state.isEmpty())) {
      return;
    }
    if (!state.isObject()) {
      throw invalid(path, SHAPE, state);
    }
    JsonNode shards = state.get("shards");
    if (shards == null || !shards.isObject()) {
      throw invalid(path + ".shards", "an object of shard to {\"cursor\": \"...\"}", shards);
    }
    Map<String, String> cursors = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> shard : shards.properties()) {
      if (shard.getKey().isBlank()) {
        throw SourceException.config("Invalid state: " + path + ".shards has an empty shard name.");
      }
      JsonNode holder = shard.getValue();
      if (!holder.isObject()) {
        throw invalid(shardPath(path, shard.getKey()), "{\"cursor\": \"...\"}", holder);
      }
      JsonNode cursor = holder.get("cursor");
      if (cursor == null || !cursor.isTextual() || cursor.textValue().isEmpty()) {
        throw invalid(shardPath(path, shard.getKey()) + ".cursor", "the shard's cursor string", cursor);
      }
      cursors.put(shard.getKey(), cursor.textValue());
    }
    if (!cursors.isEmpty()) {
      // Airbyte sends one message per stream; should one repeat, the later one is the newer
      states.put(id, new StreamState(cursors));
    }
  }

  /** Built for messages only: a state holds thousands of cursors. */
  private static String shardPath(String path, String shard) {
    return path + ".shards[" + JsonInput.quote(shard) + "]";
  }

  private static SourceException invalid(String path, String expected, JsonNode got) {
    return SourceException.config("Invalid state: " + path + ": expected " + expected + ", got "
        + JsonInput.describe(got) + ".");
  }
}
