package dev.sourcevitess.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A ConfiguredAirbyteCatalog to the streams to read. The selected columns are the keys of each
 * stream's configured {@code json_schema.properties}: Airbyte removes deselected columns there.
 */
final class CatalogParser {
  private static final String EXPECTED = "a configured catalog: {\"streams\": [{\"stream\": {...}, \"sync_mode\": ...}]}";

  private final JsonInput input;

  CatalogParser(JsonInput input) {
    this.input = input;
  }

  List<ConfiguredStream> parse(Path file) {
    JsonNode root = input.read(file, "configured catalog", EXPECTED, true);
    if (!root.isObject()) {
      throw SourceException.config("The configured catalog file " + file + " holds "
          + JsonInput.describe(root) + "; expected " + EXPECTED + ".");
    }
    JsonNode streams = root.get("streams");
    if (streams == null || !streams.isArray()) {
      throw invalid("streams", "an array of configured streams", streams);
    }
    List<ConfiguredStream> result = new ArrayList<>(streams.size());
    Map<StreamId, Integer> seen = new HashMap<>();
    for (int i = 0; i < streams.size(); i++) {
      String path = "streams[" + i + "]";
      ConfiguredStream stream = stream(streams.get(i), path);
      Integer earlier = seen.putIfAbsent(stream.id(), i);
      if (earlier != null) {
        throw SourceException.config("Invalid configured catalog: " + path + ": stream " + stream.id()
            + " is configured twice (also streams[" + earlier + "]).");
      }
      result.add(stream);
    }
    return List.copyOf(result);
  }

  private static ConfiguredStream stream(JsonNode configured, String path) {
    if (!configured.isObject()) {
      throw invalid(path, "a configured stream object", configured);
    }
    JsonNode stream = configured.get("stream");
    if (stream == null || !stream.isObject()) {
      throw invalid(path + ".stream", "the stream object (name, namespace, json_schema)", stream);
    }
    JsonNode name = stream.get("name");
    if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
      throw invalid(path + ".stream.name", "the stream's name", name);
    }
    JsonNode namespace = stream.get("namespace");
    if (namespace != null && !namespace.isNull() && !namespace.isTextual()) {
      throw invalid(path + ".stream.namespace", "a string", namespace);
    }
    StreamId id = new StreamId(namespace == null || namespace.isNull() ? "" : namespace.textValue(), name.textValue());
    return new ConfiguredStream(id, syncMode(configured.get("sync_mode"), path + ".sync_mode"),
        selectedColumns(stream.get("json_schema"), path + ".stream.json_schema"));
  }

  /** Absent means full_refresh, the protocol's default. */
  private static SyncMode syncMode(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return SyncMode.FULL_REFRESH;
    }
    if (node.isTextual()) {
      switch (node.textValue()) {
        case "full_refresh":
          return SyncMode.FULL_REFRESH;
        case "incremental":
          return SyncMode.INCREMENTAL;
        default:
          break;
      }
    }
    throw invalid(path, "full_refresh or incremental", node);
  }

  private static Set<String> selectedColumns(JsonNode schema, String path) {
    if (schema == null || schema.isNull()) {
      return Set.of();
    }
    if (!schema.isObject()) {
      throw invalid(path, "a JSON schema object", schema);
    }
    JsonNode properties = schema.get("properties");
    if (properties == null || properties.isNull()) {
      return Set.of();
    }
    if (!properties.isObject()) {
      throw invalid(path + ".properties", "an object of column name to schema", properties);
    }
    Set<String> names = new LinkedHashSet<>();
    for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static SourceException invalid(String path, String expected, JsonNode got) {
    return SourceException.config("Invalid configured catalog: " + path + ": expected " + expected + ", got "
        + JsonInput.describe(got) + ".");
  }
}
