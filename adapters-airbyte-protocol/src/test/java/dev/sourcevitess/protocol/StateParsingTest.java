package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StateParsingTest {
  private static final String LEGACY_DATA = """
      {"streams": {
         "shop:orders": {"shards": {"-80": {"cursor": "CgMtODA=", "unserialized_cursor": {"shard": "-80"}},
                                    "80-": {"cursor": "CgM4MC0="}}},
         "shop:notes": {"shards": {"-": {"cursor": "CgEt"}}}}}""";
  private static final Map<StreamId, StreamState> LEGACY_STATE = Map.of(
      new StreamId("shop", "orders"), new StreamState(Map.of("-80", "CgMtODA=", "80-", "CgM4MC0=")),
      new StreamId("shop", "notes"), new StreamState(Map.of("-", "CgEt")));

  @TempDir
  Path dir;

  private final AirbyteProtocol protocol = AirbyteProtocol.create(new ByteArrayOutputStream(), Clock.systemUTC());

  private Map<StreamId, StreamState> parse(String json) throws IOException {
    Path file = dir.resolve("state.json");
    Files.writeString(file, json);
    return protocol.parseState(file);
  }

  @Test
  void readsAirbytesStreamStates() throws IOException {
    Map<StreamId, StreamState> states = parse("""
        [
          {"type": "STREAM", "stream": {"stream_descriptor": {"name": "orders", "namespace": "shop"},
            "stream_state": {"shards": {"-80": {"cursor": "b3JkZXJz"}, "80-": {"cursor": "LTgw"}}}},
            "sourceStats": {"recordCount": 12.0}},
          {"type": "STREAM", "stream": {"stream_descriptor": {"name": "notes"}, "stream_state": {"shards": {"-": {"cursor": "bm90ZXM="}}}}},
          {"type": "STREAM", "stream": {"stream_descriptor": {"name": "fresh", "namespace": "shop"}, "stream_state": null}},
          {"type": "STREAM", "stream": {"stream_descriptor": {"name": "blank", "namespace": "shop"}, "stream_state": {}}},
          {"type": "STREAM", "stream": {"stream_descriptor": {"name": "later", "namespace": "shop"}}}
        ]""");
    assertEquals(Map.of(
        new StreamId("shop", "orders"), new StreamState(Map.of("-80", "b3JkZXJz", "80-", "LTgw")),
        new StreamId("", "notes"), new StreamState(Map.of("-", "bm90ZXM="))), states);
  }

  @Test
  void readsPlanetScalesLegacyStateInEachShape() throws IOException {
    assertEquals(LEGACY_STATE, parse(LEGACY_DATA));
    assertEquals(LEGACY_STATE, parse("{\"data\": " + LEGACY_DATA + "}"));
    assertEquals(LEGACY_STATE, parse("{\"type\": \"LEGACY\", \"data\": " + LEGACY_DATA + "}"));
    assertEquals(LEGACY_STATE, parse("[{\"type\": \"LEGACY\", \"data\": " + LEGACY_DATA + "}]"));
    assertEquals(LEGACY_STATE, parse("[{\"data\": " + LEGACY_DATA + "}]"));
    // the way PlanetScale's connector printed it: a whole STATE message
    assertEquals(LEGACY_STATE, parse("{\"type\": \"STATE\", \"state\": {\"data\": " + LEGACY_DATA + "}}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  \n", "[]", "{}", "null", "[null]", "{\"type\": \"LEGACY\", \"data\": null}",
      "{\"data\": {}}", "{\"streams\": {}}"})
  void readsNothingAsNoState(String json) throws IOException {
    assertEquals(Map.of(), parse(json));
  }

  @Test
  void refusesGlobalState() {
    SourceException e = assertThrows(SourceException.class, () -> parse("""
        [{"type": "GLOBAL", "global": {"shared_state": {}, "stream_states": []}}]"""));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertEquals("Invalid state: state[0] is a GLOBAL state, but this connector keeps per-stream (STREAM) state,"
        + " one per table; reset the connection's state so the streams start afresh.", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`5`|state: expected a JSON array of STREAM state messages, got the number 5.",
      "`{\"foo\": 1}`|state: expected a JSON array of STREAM state messages (or PlanetScale's legacy {\"streams\": {...}} object), got an object.",
      "`[\"x\"]`|state[0]: expected a state message object, got \"x\".",
      "`[{\"type\": \"PER_STREAM\"}]`|state[0].type: expected STREAM (or LEGACY), got \"PER_STREAM\".",
      "`[{\"type\": \"STREAM\"}]`|state[0].stream: expected {\"stream_descriptor\": {...}, \"stream_state\": {...}}, got nothing.",
      "`[{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\": {\"namespace\": \"s\"}}}]`"
          + "|state[0].stream.stream_descriptor.name: expected the stream's name, got nothing.",
      "`[{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\": {\"name\": \"t\"}, \"stream_state\": {\"cursor\": \"x\"}}}]`"
          + "|state[0].stream.stream_state.shards: expected an object of shard to {\"cursor\": \"...\"}, got nothing.",
      "`[{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\": {\"name\": \"t\"}, \"stream_state\": {\"shards\": {\"-\": \"abc\"}}}}]`"
          + "|state[0].stream.stream_state.shards[\"-\"]: expected {\"cursor\": \"...\"}, got \"abc\".",
      "`[{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\": {\"name\": \"t\"}, \"stream_state\": {\"shards\": {\"-\": {\"cursor\": 7}}}}}]`"
          + "|state[0].stream.stream_state.shards[\"-\"].cursor: expected the shard's cursor string, got the number 7.",
      "`{\"streams\": {\"orders\": {\"shards\": {}}}}`|state.streams has the key \"orders\"; expected \"<keyspace>:<table>\".",
      "`{\"data\": {\"streams\": [1]}}`|state.data.streams: expected an object keyed by \"<keyspace>:<table>\", got an array.",
  })
  void namesWhatIsWrong(String json, String expected) {
    SourceException e = assertThrows(SourceException.class, () -> parse(json));
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertEquals("Invalid state: " + expected, e.getMessage());
  }

  @Test
  void refusesMalformedJson() {
    SourceException e = assertThrows(SourceException.class, () -> parse("[{\"type\": STREAM}]"));
    assertTrue(e.getMessage().startsWith("The state file "), e.getMessage());
    assertTrue(e.getMessage().contains("is not valid JSON at line 1"), e.getMessage());
  }
}
