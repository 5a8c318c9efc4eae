package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.SyncMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogParsingTest {
  @TempDir
  Path dir;

  private final AirbyteProtocol protocol = AirbyteProtocol.create(new ByteArrayOutputStream(), Clock.systemUTC());

  private List<ConfiguredStream> parse(String json) throws IOException {
    Path file = dir.resolve("catalog.json");
    Files.writeString(file, json);
    return protocol.parseCatalog(file);
  }

  @Test
  void readsStreamsModesAndSelectedColumns() throws IOException {
    List<ConfiguredStream> streams = parse("""
        {"streams": [
          {"stream": {"name": "orders", "namespace": "shop", "supported_sync_modes": ["full_refresh", "incremental"],
                      "json_schema": {"type": "object", "properties": {"id": {"type": "number"}, "total": {"type": "number"},
                                      "_ab_cdc_cursor": {"type": "number"}}}},
           "sync_mode": "incremental", "destination_sync_mode": "append_dedup", "cursor_field": ["_ab_cdc_cursor"],
           "primary_key": [["id"]], "generation_id": 3},
          {"stream": {"name": "notes", "json_schema": {"type": "object"}}, "sync_mode": "full_refresh",
           "destination_sync_mode": "overwrite"},
          {"stream": {"name": "tags", "namespace": null, "json_schema": {}}, "destination_sync_mode": "append"}
        ]}""");
    assertEquals(List.of(
        new ConfiguredStream(new StreamId("shop", "orders"), SyncMode.INCREMENTAL, Set.of("id", "total", "_ab_cdc_cursor")),
        new ConfiguredStream(new StreamId("", "notes"), SyncMode.FULL_REFRESH, Set.of()),
        new ConfiguredStream(new StreamId("", "tags"), SyncMode.FULL_REFRESH, Set.of())), streams);
  }

  @Test
  void readsAnEmptyCatalog() throws IOException {
    assertEquals(List.of(), parse("{\"streams\": []}"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`{}`|streams: expected an array of configured streams, got nothing.",
      "`{\"streams\": {}}`|streams: expected an array of configured streams, got an object.",
      "`{\"streams\": [5]}`|streams[0]: expected a configured stream object, got the number 5.",
      "`{\"streams\": [{\"sync_mode\": \"incremental\"}]}`|streams[0].stream: expected the stream object (name, namespace, json_schema), got nothing.",
      "`{\"streams\": [{\"stream\": {\"namespace\": \"s\"}}]}`|streams[0].stream.name: expected the stream's name, got nothing.",
      "`{\"streams\": [{\"stream\": {\"name\": \"\"}}]}`|streams[0].stream.name: expected the stream's name, got \"\".",
      "`{\"streams\": [{\"stream\": {\"name\": \"t\", \"namespace\": 1}}]}`|streams[0].stream.namespace: expected a string, got the number 1.",
      "`{\"streams\": [{\"stream\": {\"name\": \"a\"}}, {\"stream\": {\"name\": \"b\"}}, {\"stream\": {\"name\": \"c\"}, \"sync_mode\": \"x\"}]}`"
          + "|streams[2].sync_mode: expected full_refresh or incremental, got \"x\".",
      "`{\"streams\": [{\"stream\": {\"name\": \"t\", \"json_schema\": []}}]}`|streams[0].stream.json_schema: expected a JSON schema object, got an array.",
      "`{\"streams\": [{\"stream\": {\"name\": \"t\", \"json_schema\": {\"properties\": [\"a\"]}}}]}`"
          + "|streams[0].stream.json_schema.properties: expected an object of column name to schema, got an array.",
      "`{\"streams\": [{\"stream\": {\"name\": \"t\", \"namespace\": \"s\"}}, {\"stream\": {\"name\": \"t\", \"namespace\": \"s\"}}]}`"
          + "|streams[1]: stream s.t is configured twice (also streams[0]).",
  })
  void namesTheBadElement(String json, String expected) {
    SourceException e = assertThrows(SourceException.class, () -> parse(json));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertEquals("Invalid configured catalog: " + expected, e.getMessage());
  }

  @Test
  void refusesFilesThatAreNotACatalog() throws IOException {
    SourceException array = assertThrows(SourceException.class, () -> parse("[]"));
    assertTrue(array.getMessage().contains("holds an array; expected a configured catalog"), array.getMessage());
    SourceException broken = assertThrows(SourceException.class, () -> parse("{\"streams\": [}"));
    assertTrue(broken.getMessage().contains("is not valid JSON at line 1, column 14"), broken.getMessage());
    SourceException missing = assertThrows(SourceException.class, () -> protocol.parseCatalog(dir.resolve("x.json")));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
  }
}
