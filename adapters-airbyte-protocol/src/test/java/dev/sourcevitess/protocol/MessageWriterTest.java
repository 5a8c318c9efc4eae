package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.DiscoveredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.port.ReadOutput;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageWriterTest {
  static final Instant NOW = Instant.parse("2024-01-02T03:04:05.678Z");
  static final long NOW_MILLIS = 1704164645678L;
  static final StreamId ORDERS = new StreamId("shop", "orders");
  static final String POSITION = "MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-9";

  private final CountingOutputStream stdout = new CountingOutputStream();
  private final AirbyteProtocol protocol = AirbyteProtocol.create(stdout, Clock.fixed(NOW, ZoneOffset.UTC));
  private final ReadOutput read = protocol.readOutput();
  private final ObjectMapper mapper = new ObjectMapper();

  private static Column column(String name, String type, boolean nullable) {
    return new Column(name, ColumnType.parse(type, true), nullable);
  }

  /** The lines on stdout once the read's writer thread has written what it was handed. */
  private String[] lines() {
    ((PipelinedOutput) read).drain();
    return stdout.lines();
  }

  private String onlyLine() {
    String[] lines = lines();
    assertEquals(1, lines.length, stdout.text());
    assertTrue(stdout.text().endsWith("\n"));
    return lines[0];
  }

  @Test
  void writesConnectionStatus() {
    protocol.connectionStatus(true, "Connected to shop");
    protocol.connectionStatus(false, null);
    assertArrayEquals(new String[] {
        "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\",\"message\":\"Connected to shop\"}}",
        "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\"}}"}, stdout.lines());
  }

  @Test
  void writesLogsAtEachLevel() {
    protocol.log(LogLevel.DEBUG, "d");
    read.log(LogLevel.WARN, "w \"quoted\"\nnext");
    assertArrayEquals(new String[] {
        "{\"type\":\"LOG\",\"log\":{\"level\":\"DEBUG\",\"message\":\"d\"}}",
        "{\"type\":\"LOG\",\"log\":{\"level\":\"WARN\",\"message\":\"w \\\"quoted\\\"\\nnext\"}}"}, lines());
  }

  @Test
  void writesErrorsOnOneLineWithTheirDetail() {
    protocol.error(FailureType.TRANSIENT_ERROR, "Cannot reach VTGate:\n  connection refused\r\n", "java.net.ConnectException\n\tat x");
    read.error(FailureType.CONFIG_ERROR, "Bad password", null);
    read.error(FailureType.SYSTEM_ERROR, " ", "");
    assertArrayEquals(new String[] {
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":" + NOW_MILLIS + ",\"error\":{"
            + "\"message\":\"Cannot reach VTGate: connection refused\","
            + "\"internal_message\":\"java.net.ConnectException\\n\\tat x\",\"failure_type\":\"transient_error\"}}}",
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":" + NOW_MILLIS + ",\"error\":{"
            + "\"message\":\"Bad password\",\"failure_type\":\"config_error\"}}}",
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":" + NOW_MILLIS + ",\"error\":{"
            + "\"message\":\"The source failed (system_error) without a message.\",\"failure_type\":\"system_error\"}}}"},
        stdout.lines());
  }

  @Test
  void writesTheCatalog() {
    DiscoveredStream orders = new DiscoveredStream(ORDERS,
        List.of(column("id", "bigint unsigned", false), column("note", "varchar(20)", true),
            column("created", "timestamp", false)),
        List.of("id"), EnumSet.allOf(SyncMode.class), true, true, true, List.of(RecordLayout.CDC_CURSOR), true);
    DiscoveredStream plain = new DiscoveredStream(new StreamId("", "logs"),
        List.of(column("line", "text", true)), List.of(), Set.of(SyncMode.FULL_REFRESH), false, false, false,
        List.of(), false);
    protocol.catalog(List.of(orders, plain));
    assertEquals("{\"type\":\"CATALOG\",\"catalog\":{\"streams\":["
        + "{\"name\":\"orders\",\"namespace\":\"shop\",\"json_schema\":{\"type\":\"object\",\"properties\":{"
        + "\"id\":{\"type\":\"number\",\"airbyte_type\":\"integer\"},"
        + "\"note\":{\"type\":[\"null\",\"string\"]},"
        + "\"created\":{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"},"
        + "\"_ab_cdc_updated_at\":{\"type\":\"string\",\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"},"
        + "\"_ab_cdc_deleted_at\":{\"type\":[\"null\",\"string\"],\"format\":\"date-time\",\"airbyte_type\":\"timestamp_with_timezone\"},"
        + "\"_ab_cdc_cursor\":{\"type\":\"number\",\"airbyte_type\":\"integer\"},"
        + "\"_planetscale_metadata\":{\"type\":\"object\",\"properties\":{"
        + "\"vgtid_position\":{\"type\":\"string\"},"
        + "\"extracted_at\":{\"type\":\"number\",\"airbyte_type\":\"integer\"},"
        + "\"sequence_number\":{\"type\":\"number\",\"airbyte_type\":\"integer\"}}}}},"
        + "\"supported_sync_modes\":[\"full_refresh\",\"incremental\"],\"source_defined_primary_key\":[[\"id\"]],"
        + "\"source_defined_cursor\":true,\"default_cursor_field\":[\"_ab_cdc_cursor\"],\"is_resumable\":true},"
        + "{\"name\":\"logs\",\"json_schema\":{\"type\":\"object\",\"properties\":{"
        + "\"line\":{\"type\":[\"null\",\"string\"]}}},"
        + "\"supported_sync_modes\":[\"full_refresh\"],\"source_defined_primary_key\":[],"
        + "\"source_defined_cursor\":false,\"default_cursor_field\":[],\"is_resumable\":false}]}}", onlyLine());
  }

  @Test
  void writesStatusesEstimatesAndStates() {
    read.status(ORDERS, StreamStatus.STARTED);
    read.estimate(ORDERS, 1000, 65536);
    read.estimate(new StreamId("", "logs"), -1, 10);
    read.checkpoint(new Checkpoint(ORDERS, new StreamState(Map.of("80-", "Yg==", "-80", "YQ==")), 2));
    read.status(new StreamId("", "logs"), StreamStatus.INCOMPLETE);
    assertArrayEquals(new String[] {
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":" + NOW_MILLIS + ",\"stream_status\":{"
            + "\"stream_descriptor\":{\"name\":\"orders\",\"namespace\":\"shop\"},\"status\":\"STARTED\"}}}",
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ESTIMATE\",\"emitted_at\":" + NOW_MILLIS + ",\"estimate\":{"
            + "\"name\":\"orders\",\"namespace\":\"shop\",\"type\":\"STREAM\",\"row_estimate\":1000,\"byte_estimate\":65536}}}",
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ESTIMATE\",\"emitted_at\":" + NOW_MILLIS + ",\"estimate\":{"
            + "\"name\":\"logs\",\"type\":\"STREAM\",\"row_estimate\":0,\"byte_estimate\":10}}}",
        "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{"
            + "\"stream_descriptor\":{\"name\":\"orders\",\"namespace\":\"shop\"},"
            + "\"stream_state\":{\"shards\":{\"-80\":{\"cursor\":\"YQ==\"},\"80-\":{\"cursor\":\"Yg==\"}}}},"
            + "\"sourceStats\":{\"recordCount\":2.0}}}",
        "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":" + NOW_MILLIS + ",\"stream_status\":{"
            + "\"stream_descriptor\":{\"name\":\"logs\"},\"status\":\"INCOMPLETE\"}}}"}, lines());
  }

  @Test
  void writesRecordCountsExactlyAsDoubles() throws Exception {
    read.checkpoint(new Checkpoint(ORDERS, new StreamState(Map.of("-", "x")), 9_007_199_254_740_993L));
    JsonNode count = mapper.readTree(onlyLine()).at("/state/sourceStats/recordCount");
    assertTrue(count.isFloatingPointNumber());
    assertTrue(onlyLine().endsWith("\"recordCount\":9007199254740993.0}}}"));
  }

  @Test
  void writesChangeRecordsWithCdcColumnsAndMetadata() {
    RecordLayout layout = new RecordLayout(
        List.of(column("id", "int", false), column("note", "text", true)), new int[] {1, 0}, true, true);
    Instant committed = Instant.parse("2024-02-29T13:45:07Z");
    Instant extracted = Instant.parse("2024-02-29T13:45:07.123456789Z");
    read.record(ORDERS, layout, FakeRow.of(null, "42"), new ChangeMeta(committed, committed, 1709214307000000001L,
        new ChangeMeta.PlanetScaleMetadata(POSITION, extracted, 7)));
    read.record(ORDERS, layout, FakeRow.of("hi", "43"), new ChangeMeta(extracted, null, 1709214307000000002L, null));
    protocol.flush();
    assertArrayEquals(new String[] {
        "{\"type\":\"RECORD\",\"record\":{\"namespace\":\"shop\",\"stream\":\"orders\",\"data\":{"
            + "\"id\":42,\"note\":null,"
            + "\"_ab_cdc_updated_at\":\"2024-02-29T13:45:07Z\",\"_ab_cdc_deleted_at\":\"2024-02-29T13:45:07Z\","
            + "\"_ab_cdc_cursor\":1709214307000000001,"
            + "\"_planetscale_metadata\":{\"vgtid_position\":\"" + POSITION + "\","
            + "\"extracted_at\":1709214307123456789,\"sequence_number\":7}},"
            + "\"emitted_at\":" + NOW_MILLIS + "}}",
        "{\"type\":\"RECORD\",\"record\":{\"namespace\":\"shop\",\"stream\":\"orders\",\"data\":{"
            + "\"id\":43,\"note\":\"hi\","
            + "\"_ab_cdc_updated_at\":\"2024-02-29T13:45:07.123456789Z\",\"_ab_cdc_deleted_at\":null,"
            + "\"_ab_cdc_cursor\":1709214307000000002},"
            + "\"emitted_at\":" + NOW_MILLIS + "}}"}, stdout.lines());
  }

  /** The writer keeps the last instant's text; a repeat, a new fraction or a new second must all be exact. */
  @Test
  void writesEachChangeTimeExactlyWhateverCameBefore() throws Exception {
    RecordLayout layout = new RecordLayout(List.of(column("id", "int", false)), new int[] {0}, true, false);
    List<String> times = List.of("2024-02-29T13:45:07.123456789Z", "2024-02-29T13:45:07.123456789Z",
        "2024-02-29T13:45:07.5Z", "2024-02-29T13:45:07Z", "2024-02-29T13:45:08.5Z", "+10000-01-01T00:00:00.5Z",
        "2024-02-29T13:45:08.5Z", "2024-02-29T13:45:08Z", "1969-12-31T23:59:59.999Z", "2024-02-29T13:45:08Z");
    for (String time : times) {
      Instant instant = Instant.parse(time);
      read.record(ORDERS, layout, FakeRow.of("1"), new ChangeMeta(instant, instant, 1, null));
    }
    protocol.flush();
    String[] lines = stdout.lines();
    assertEquals(times.size(), lines.length);
    for (int i = 0; i < lines.length; i++) {
      JsonNode data = mapper.readTree(lines[i]).at("/record/data");
      String expected = java.time.format.DateTimeFormatter.ISO_INSTANT.format(Instant.parse(times.get(i)));
      assertEquals(expected, data.get("_ab_cdc_updated_at").asText(), "record " + i);
      assertEquals(expected, data.get("_ab_cdc_deleted_at").asText(), "record " + i);
    }
  }

  @Test
  void aRecordCutShortByAnErrorLeavesNoHalfLine() {
    RecordLayout layout = RecordLayout.select(List.of(column("a", "int", false), column("b", "text", false)),
        Set.of(), false, false);
    FakeRow tooLarge = FakeRow.of("1", "a value the heap cannot hold");
    // a reused row (a JDBC row) is written on the reader's thread, where the error reaches the reader
    RawRow failing = new RawRow() {
      @Override
      public int columnCount() {
        return 2;
      }

      @Override
      public boolean isNull(int column) {
        return false;
      }

      @Override
      public byte[] buffer(int column) {
        if (column == 1) {
          throw new OutOfMemoryError("Java heap space");
        }
        return tooLarge.buffer(column);
      }

      @Override
      public int offset(int column) {
        return tooLarge.offset(column);
      }

      @Override
      public int length(int column) {
        return tooLarge.length(column);
      }
    };
    read.record(ORDERS, layout, FakeRow.of("0", "fine"), null);
    assertThrows(OutOfMemoryError.class, () -> read.record(ORDERS, layout, failing, null));
    protocol.error(FailureType.CONFIG_ERROR, "too large", null);
    protocol.flush();
    String[] lines = stdout.lines();
    assertEquals(2, lines.length, stdout.text());
    assertTrue(lines[0].startsWith("{\"type\":\"RECORD\"") && lines[0].contains("\"b\":\"fine\""), lines[0]);
    assertTrue(lines[1].startsWith("{\"type\":\"TRACE\""), lines[1]);
  }

  @Test
  void writesPlainRecordsWithoutChangeColumnsOrNamespace() {
    RecordLayout layout = RecordLayout.select(
        List.of(column("a", "int", false), column("b", "int", false), column("c", "int", false)),
        Set.of("a", "c"), false, false);
    read.record(new StreamId("", "t"), layout, FakeRow.of("1", "2", "3"), null);
    // a layout with change columns but no meta (a STANDARD read) writes only the columns
    RecordLayout cdc = RecordLayout.select(List.of(column("a", "int", false)), Set.of(), true, true);
    read.record(new StreamId("", "t"), cdc, FakeRow.of("4"), null);
    protocol.flush();
    assertArrayEquals(new String[] {
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"t\",\"data\":{\"a\":1,\"c\":3},\"emitted_at\":" + NOW_MILLIS + "}}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"t\",\"data\":{\"a\":4},\"emitted_at\":" + NOW_MILLIS + "}}"},
        stdout.lines());
  }

  @Test
  void escapesStreamNamesInTheRecordEnvelope() throws Exception {
    RecordLayout layout = RecordLayout.select(List.of(column("a", "int", false)), Set.of(), false, false);
    StreamId odd = new StreamId("sh\"op", "or\\ders\u00e9\n");
    read.record(odd, layout, FakeRow.of("1"), null);
    read.record(new StreamId("", "no data"), RecordLayout.select(List.of(), Set.of(), false, false), FakeRow.of(), null);
    protocol.flush();
    JsonNode record = mapper.readTree(stdout.lines()[0]).get("record");
    assertEquals("sh\"op", record.get("namespace").asText());
    assertEquals("or\\ders\u00e9\n", record.get("stream").asText());
    assertEquals(1, record.at("/data/a").asInt());
    assertEquals("{\"type\":\"RECORD\",\"record\":{\"stream\":\"no data\",\"data\":{},\"emitted_at\":" + NOW_MILLIS
        + "}}", stdout.lines()[1]);
  }

  @Test
  void writesTheLayoutThatComesWithEachRecord() {
    // two shards with their own layouts of one stream, alternating, as after a schema change
    RecordLayout before = new RecordLayout(List.of(column("a", "int", false)), new int[] {0}, false, false);
    RecordLayout after = new RecordLayout(List.of(column("a", "int", false), column("b", "int", true)),
        new int[] {0, 1}, false, false);
    read.record(ORDERS, before, FakeRow.of("1"), null);
    read.record(ORDERS, after, FakeRow.of("2", "3"), null);
    read.record(ORDERS, before, FakeRow.of("4"), null);
    protocol.flush();
    String[] lines = stdout.lines();
    assertTrue(lines[0].contains("\"data\":{\"a\":1}"), lines[0]);
    assertTrue(lines[1].contains("\"data\":{\"a\":2,\"b\":3}"), lines[1]);
    assertTrue(lines[2].contains("\"data\":{\"a\":4}"), lines[2]);
  }

  @Test
  void theSpecCarriesADocumentationUrlOnlyWhenTheBuildHasOne() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var writer = new MessageWriter(out, Clock.systemUTC(), new Redactor(), new com.fasterxml.jackson.core.JsonFactory());
    writer.spec(java.util.Optional.of("https://example.org/source-vitess/README.md#user-guide"), "{}".getBytes());
    writer.spec(java.util.Optional.empty(), "{}".getBytes());
    writer.flush();
    String[] specs = out.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
    assertEquals("https://example.org/source-vitess/README.md#user-guide",
        mapper.readTree(specs[0]).at("/spec/documentationUrl").asText());
    assertTrue(mapper.readTree(specs[1]).at("/spec/documentationUrl").isMissingNode(), specs[1]);
  }

  @Test
  void writesTheSpec() throws Exception {
    protocol.spec();
    JsonNode spec = mapper.readTree(onlyLine());
    assertEquals("SPEC", spec.get("type").asText());
    assertEquals(AirbyteProtocol.documentationUrl().orElse(""), spec.at("/spec/documentationUrl").asText(),
        "the build's documentation.url, or no field when the build has none");
    assertTrue(spec.at("/spec/supportsIncremental").booleanValue());
    assertEquals(mapper.readTree("[\"overwrite\",\"append\",\"append_dedup\"]"),
        spec.at("/spec/supported_destination_sync_modes"));
    JsonNode conn = spec.at("/spec/connectionSpecification");
    assertEquals("http://json-schema.org/draft-07/schema#", conn.get("$schema").asText());
    assertEquals("object", conn.get("type").asText());
    assertEquals(mapper.readTree("[\"host\",\"database\",\"username\",\"password\"]"), conn.get("required"));
  }
}
