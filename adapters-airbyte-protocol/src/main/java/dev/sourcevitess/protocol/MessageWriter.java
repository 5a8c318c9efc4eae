package dev.sourcevitess.protocol;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sourcevitess.domain.model.ChangeMeta;
import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.DiscoveredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.JsonType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.model.SyncMode;
import dev.sourcevitess.domain.port.ReadOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every Airbyte message, one JSON object per line, into stdout's one buffer: records are written
 * there directly ({@link JsonValueWriter}), the other messages through Jackson's generator. Messages
 * other than records are flushed at once (Airbyte acts on them); records wait for the buffer to
 * fill or the next STATE, which is what makes a STATE cover the records before it.
 *
 * <p>Calls are serialized here because logs may come from other threads than the read.
 */
final class MessageWriter implements ReadOutput {
  /** Layouts are rebuilt on schema changes; past this many the cache starts over. */
  private static final int MAX_CACHED_LAYOUTS = 1024;

  // a record's JSON around its columns, written as it is (see record)
  private static final byte[] RECORD_META = JsonValueWriter.ascii(",\"meta\":{\"changes\":[");
  private static final byte[] NULLED_FIELD = JsonValueWriter.ascii("{\"field\":");
  private static final byte[] NULLED_REASON =
      JsonValueWriter.ascii(",\"change\":\"NULLED\",\"reason\":\"SOURCE_SERIALIZATION_ERROR\"}");
  private static final byte[] RECORD_EMITTED_AT = JsonValueWriter.ascii(",\"emitted_at\":");
  private static final byte[] RECORD_END = JsonValueWriter.ascii("}}\n");
  private static final byte[] CDC_UPDATED_AT = fieldName(RecordLayout.CDC_UPDATED_AT);
  private static final byte[] CDC_DELETED_AT = fieldName(RecordLayout.CDC_DELETED_AT);
  private static final byte[] CDC_CURSOR = fieldName(RecordLayout.CDC_CURSOR);
  private static final byte[] PLANETSCALE_METADATA = fieldName(RecordLayout.PLANETSCALE_METADATA);
  private static final byte[] VGTID_POSITION = fieldName("vgtid_position");
  private static final byte[] EXTRACTED_AT = fieldName("extracted_at");
  private static final byte[] SEQUENCE_NUMBER = fieldName("sequence_number");
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private final JsonFactory factory;
  private final OutputBuffer buffer;
  private final JsonGenerator out;
  private final Clock clock;
  private final Redactor redactor;
  private final JsonValueWriter values;
  private final char[] timestamp = new char[IsoInstant.MAX_LENGTH];
  private final byte[] timestampBytes = new byte[IsoInstant.MAX_LENGTH];
  private long timestampSecond = Long.MIN_VALUE;
  /** The nanoseconds of the last instant written whole into timestampBytes, and its length. */
  private int timestampNano = -1;
  private int timestampLength;
  private final Map<StreamId, byte[]> recordPrefixes = new HashMap<>();
  private final Map<RecordLayout, byte[][]> layoutNames = new IdentityHashMap<>();
  private final List<String> nulledFields = new ArrayList<>();
  private final Set<String> warnedColumns = new HashSet<>();
  /** Warnings found while a record was half written, logged once its line is complete. */
  private final List<String> pendingWarnings = new ArrayList<>();

  MessageWriter(OutputStream stdout, Clock clock, Redactor redactor, JsonFactory factory) {
    this.factory = factory;
    this.clock = clock;
    this.redactor = redactor;
    this.buffer = new OutputBuffer(stdout);
    try {
      this.out = factory.createGenerator(buffer, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // stdout belongs to the caller, and a half-written message must never be "completed" on close
    out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    out.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
    // lines end with '\n' as each message ends, not when the next one begins
    out.setRootValueSeparator(null);
    this.values = new JsonValueWriter(buffer);
  }

  /**
   * A record, built in stdout's buffer without the generator: every message before it was flushed
   * through, so the buffer ends at a line's end. A record that fails half-way is taken back whole.
   */
  @Override
  public synchronized void record(StreamId stream, RecordLayout layout, RawRow row, ChangeMeta meta) {
    byte[][] fields = fieldNames(layout);
    nulledFields.clear();
    int start = values.mark();
    try {
      values.raw(recordPrefix(stream));
      values.raw('{');
      for (int i = 0; i < fields.length; i++) {
        values.field(fields[i]);
        column(stream, layout, row, i);
      }
      if (meta != null && layout.cdc()) {
        values.field(CDC_UPDATED_AT);
        instant(meta.updatedAt());
        values.field(CDC_DELETED_AT);
        if (meta.deletedAt() == null) {
          values.writeNull();
        } else {
          instant(meta.deletedAt());
        }
        values.field(CDC_CURSOR);
        values.writeNumber(meta.cursor());
      }
      if (meta != null && layout.metadata() && meta.metadata() != null) {
        ChangeMeta.PlanetScaleMetadata m = meta.metadata();
        values.field(PLANETSCALE_METADATA);
        values.raw('{');
        values.field(VGTID_POSITION);
        values.writeString(m.vgtidPosition());
        values.field(EXTRACTED_AT);
        epochNanos(m.extractedAt());
        values.field(SEQUENCE_NUMBER);
        values.writeNumber(m.sequenceNumber());
        values.raw('}');
      }
      values.raw('}');
      if (!nulledFields.isEmpty()) {
        nulledChanges();
      }
      values.raw(RECORD_EMITTED_AT);
      values.writeNumber(clock.millis());
      values.raw(RECORD_END);
    } catch (RuntimeException | Error e) {
      // an OutOfMemoryError on a large value too: half a record must never reach stdout
      values.rewind(start);
      throw e;
    }
    try {
      buffer.endRecord();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!pendingWarnings.isEmpty()) {
      List<String> warnings = List.copyOf(pendingWarnings);
      pendingWarnings.clear();
      warnings.forEach(warning -> log(LogLevel.WARN, warning));
    }
  }

  /**
   * One value. A column that cannot be written (a value the column rules do not expect) is nulled
   * and listed in the record's meta changes, as the protocol provides, instead of leaving half a
   * line on stdout.
   */
  private void column(StreamId stream, RecordLayout layout, RawRow row, int i) {
    Column column = layout.column(i);
    int start = values.mark();
    try {
      column.write(row, layout.sourceIndex(i), values);
    } catch (RuntimeException e) {
      values.rewind(start);
      values.writeNull();
      nulledFields.add(column.name());
      if (warnedColumns.add(stream + "." + column.name())) {
        warnLater(stream, column, e);
      }
    }
  }

  private void warnLater(StreamId stream, Column column, RuntimeException e) {
    pendingWarnings.add("Column " + column.name() + " (" + column.type().mysqlType() + ") of stream " + stream
        + " had a value that could not be written; it was sent as null and listed in the record's meta: " + e);
  }

  private void nulledChanges() {
    values.raw(RECORD_META);
    for (int i = 0; i < nulledFields.size(); i++) {
      if (i > 0) {
        values.raw(',');
      }
      values.raw(NULLED_FIELD);
      values.writeString(nulledFields.get(i));
      values.raw(NULLED_REASON);
    }
    values.raw(']');
    values.raw('}');
  }

  /**
   * An instant as ISO-8601 UTC. The text of the last instant is kept: the records of a transaction
   * share its commit time, and held copy rows their extraction time. Its text up to the seconds is
   * kept too, for the next instant within the same second. It is ASCII, written without escaping.
   */
  private void instant(Instant instant) {
    long second = instant.getEpochSecond();
    int nano = instant.getNano();
    if (second == timestampSecond && nano == timestampNano) {
      values.quotedAscii(timestampBytes, 0, timestampLength);
      return;
    }
    if (second != timestampSecond) {
      int length = IsoInstant.format(Instant.ofEpochSecond(second), timestamp);
      if (length != IsoInstant.SECONDS_LENGTH + 1) {
        // a year outside 0000-9999: rare, formatted whole
        length = IsoInstant.format(instant, timestamp);
        values.writeString(new String(timestamp, 0, length));
        return;
      }
      for (int i = 0; i < IsoInstant.SECONDS_LENGTH; i++) {
        timestampBytes[i] = (byte) timestamp[i];
      }
      timestampSecond = second;
    }
    int length = IsoInstant.fraction(nano, timestampBytes, IsoInstant.SECONDS_LENGTH);
    timestampBytes[length++] = 'Z';
    timestampNano = nano;
    timestampLength = length;
    values.quotedAscii(timestampBytes, 0, length);
  }

  /** PlanetScale's connector writes {@code extracted_at} as epoch nanoseconds (a long until 2262). */
  private void epochNanos(Instant instant) {
    long seconds = instant.getEpochSecond();
    try {
      values.writeNumber(Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), instant.getNano()));
    } catch (ArithmeticException e) {
      byte[] digits = JsonValueWriter.ascii(
          BigInteger.valueOf(seconds).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(instant.getNano())).toString());
      values.writeNumber(digits, 0, digits.length);
    }
  }

  @Override
  public synchronized void checkpoint(Checkpoint checkpoint) {
    message(() -> {
      start("STATE");
      out.writeObjectFieldStart("state");
      out.writeStringField("type", "STREAM");
      out.writeObjectFieldStart("stream");
      out.writeFieldName("stream_descriptor");
      descriptor(checkpoint.stream());
      out.writeObjectFieldStart("stream_state");
      out.writeObjectFieldStart("shards");
      for (Map.Entry<String, String> shard : checkpoint.state().cursorsByShard().entrySet()) {
        out.writeObjectFieldStart(shard.getKey());
        out.writeStringField("cursor", shard.getValue());
        out.writeEndObject();
      }
      out.writeEndObject();
      out.writeEndObject();
      out.writeEndObject();
      out.writeObjectFieldStart("sourceStats");
      // a double by the protocol; written with its ".0" so no long is ever rounded
      out.writeFieldName("recordCount");
      out.writeNumber(checkpoint.recordCount() + ".0");
      out.writeEndObject();
      out.writeEndObject();
    });
  }

  @Override
  public synchronized void status(StreamId stream, StreamStatus status) {
    message(() -> {
      trace("STREAM_STATUS");
      out.writeObjectFieldStart("stream_status");
      out.writeFieldName("stream_descriptor");
      descriptor(stream);
      out.writeStringField("status", status.name());
      out.writeEndObject();
      out.writeEndObject();
    });
  }

  @Override
  public synchronized void estimate(StreamId stream, long rows, long bytes) {
    message(() -> {
      trace("ESTIMATE");
      out.writeObjectFieldStart("estimate");
      out.writeStringField("name", stream.name());
      if (!stream.namespace().isEmpty()) {
        out.writeStringField("namespace", stream.namespace());
      }
      out.writeStringField("type", "STREAM");
      // information_schema's guesses can be off, never below zero
      out.writeNumberField("row_estimate", Math.max(0, rows));
      out.writeNumberField("byte_estimate", Math.max(0, bytes));
      out.writeEndObject();
      out.writeEndObject();
    });
  }

  @Override
  public synchronized void log(LogLevel level, String message) {
    message(() -> {
      start("LOG");
      out.writeObjectFieldStart("log");
      out.writeStringField("level", level.name());
      out.writeStringField("message", redactor.apply(message == null ? "" : message));
      out.writeEndObject();
    });
  }

  @Override
  public synchronized void error(FailureType type, String message, String detail) {
    message(() -> {
      trace("ERROR");
      out.writeObjectFieldStart("error");
      out.writeStringField("message", oneLine(redactor.apply(message), type));
      String internal = redactor.apply(detail);
      if (internal != null && !internal.isBlank()) {
        out.writeStringField("internal_message", internal);
      }
      out.writeStringField("failure_type", type.name().toLowerCase(Locale.ROOT));
      out.writeEndObject();
      out.writeEndObject();
    });
  }

  /** Airbyte shows the message as a one-line summary; an empty one would say nothing. */
  private static String oneLine(String message, FailureType type) {
    String line = message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return line.isEmpty() ? "The source failed (" + type.name().toLowerCase(Locale.ROOT) + ") without a message." : line;
  }

  // ---- the other commands ----

  /** @param documentationUrl left out when empty: the field is optional in the protocol */
  synchronized void spec(Optional<String> documentationUrl, byte[] connectionSpecification) {
    message(() -> {
      start("SPEC");
      out.writeObjectFieldStart("spec");
      if (documentationUrl.isPresent()) {
        out.writeStringField("documentationUrl", documentationUrl.get());
      }
      out.writeFieldName("connectionSpecification");
      try (JsonParser parser = factory.createParser(connectionSpecification)) {
        parser.nextToken();
        out.copyCurrentStructure(parser);
      }
      out.writeBooleanField("supportsIncremental", true);
      out.writeArrayFieldStart("supported_destination_sync_modes");
      out.writeString("overwrite");
      out.writeString("append");
      out.writeString("append_dedup");
      out.writeEndArray();
      out.writeEndObject();
    });
  }

  synchronized void connectionStatus(boolean succeeded, String message) {
    message(() -> {
      start("CONNECTION_STATUS");
      out.writeObjectFieldStart("connectionStatus");
      out.writeStringField("status", succeeded ? "SUCCEEDED" : "FAILED");
      if (message != null) {
        out.writeStringField("message", redactor.apply(message));
      }
      out.writeEndObject();
    });
  }

  synchronized void catalog(List<DiscoveredStream> streams) {
    message(() -> {
      start("CATALOG");
      out.writeObjectFieldStart("catalog");
      out.writeArrayFieldStart("streams");
      for (DiscoveredStream stream : streams) {
        stream(stream);
      }
      out.writeEndArray();
      out.writeEndObject();
    });
  }

  private void stream(DiscoveredStream s) throws IOException {
    out.writeStartObject();
    out.writeStringField("name", s.id().name());
    if (!s.id().namespace().isEmpty()) {
      out.writeStringField("namespace", s.id().namespace());
    }
    out.writeObjectFieldStart("json_schema");
    out.writeStringField("type", "object");
    out.writeObjectFieldStart("properties");
    for (Column column : s.columns()) {
      property(column.name(), column.jsonType(), column.nullable());
    }
    if (s.cdc()) {
      property(RecordLayout.CDC_UPDATED_AT, JsonType.TIMESTAMP_WITH_TIMEZONE, false);
      property(RecordLayout.CDC_DELETED_AT, JsonType.TIMESTAMP_WITH_TIMEZONE, true);
      property(RecordLayout.CDC_CURSOR, JsonType.INTEGER, false);
    }
    if (s.metadata()) {
      out.writeObjectFieldStart(RecordLayout.PLANETSCALE_METADATA);
      out.writeStringField("type", "object");
      out.writeObjectFieldStart("properties");
      property("vgtid_position", JsonType.STRING, false);
      property("extracted_at", JsonType.INTEGER, false);
      property("sequence_number", JsonType.INTEGER, false);
      out.writeEndObject();
      out.writeEndObject();
    }
    out.writeEndObject();
    out.writeEndObject();
    out.writeArrayFieldStart("supported_sync_modes");
    for (SyncMode mode : SyncMode.values()) {
      if (s.syncModes().contains(mode)) {
        out.writeString(mode.name().toLowerCase(Locale.ROOT));
      }
    }
    out.writeEndArray();
    out.writeArrayFieldStart("source_defined_primary_key");
    for (String key : s.primaryKey()) {
      out.writeStartArray();
      out.writeString(key);
      out.writeEndArray();
    }
    out.writeEndArray();
    out.writeBooleanField("source_defined_cursor", s.sourceDefinedCursor());
    out.writeArrayFieldStart("default_cursor_field");
    for (String field : s.defaultCursorField()) {
      out.writeString(field);
    }
    out.writeEndArray();
    out.writeBooleanField("is_resumable", s.resumable());
    out.writeEndObject();
  }

  private void property(String name, JsonType type, boolean nullable) throws IOException {
    out.writeObjectFieldStart(name);
    out.writeFieldName("type");
    if (nullable) {
      out.writeStartArray();
      out.writeString("null");
      out.writeString(type.type());
      out.writeEndArray();
    } else {
      out.writeString(type.type());
    }
    if (type.format() != null) {
      out.writeStringField("format", type.format());
    }
    if (type.airbyteType() != null) {
      out.writeStringField("airbyte_type", type.airbyteType());
    }
    out.writeEndObject();
  }

  synchronized void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- pieces ----

  private interface Body {
    void write() throws IOException;
  }

  /** A whole non-record message, its line end, and a flush: Airbyte acts on these at once. */
  private void message(Body body) {
    try {
      body.write();
      out.writeEndObject();
      out.writeRaw('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void start(String type) throws IOException {
    out.writeStartObject();
    out.writeStringField("type", type);
  }

  private void trace(String type) throws IOException {
    start("TRACE");
    out.writeObjectFieldStart("trace");
    out.writeStringField("type", type);
    out.writeNumberField("emitted_at", clock.millis());
  }

  private void descriptor(StreamId stream) throws IOException {
    out.writeStartObject();
    out.writeStringField("name", stream.name());
    if (!stream.namespace().isEmpty()) {
      out.writeStringField("namespace", stream.namespace());
    }
    out.writeEndObject();
  }

  /**
   * {@code {"type":"RECORD","record":{"namespace":...,"stream":...,"data":}, made once per stream
   * (the namespace left out when empty).
   */
  private byte[] recordPrefix(StreamId stream) {
    byte[] prefix = recordPrefixes.get(stream);
    if (prefix == null) {
      JsonStringEncoder json = JsonStringEncoder.getInstance();
      StringBuilder text = new StringBuilder("{\"type\":\"RECORD\",\"record\":{");
      if (!stream.namespace().isEmpty()) {
        text.append("\"namespace\":\"").append(json.quoteAsString(stream.namespace())).append("\",");
      }
      text.append("\"stream\":\"").append(json.quoteAsString(stream.name())).append("\",\"data\":");
      prefix = text.toString().getBytes(StandardCharsets.UTF_8);
      recordPrefixes.put(stream, prefix);
    }
    return prefix;
  }

  /** The layout's field names, encoded once per layout (layouts are compared by identity). */
  private byte[][] fieldNames(RecordLayout layout) {
    byte[][] names = layoutNames.get(layout);
    if (names == null) {
      if (layoutNames.size() >= MAX_CACHED_LAYOUTS) {
        layoutNames.clear();
      }
      names = new byte[layout.size()][];
      for (int i = 0; i < names.length; i++) {
        names[i] = fieldName(layout.column(i).name());
      }
      layoutNames.put(layout, names);
    }
    return names;
  }

  /** {@code "name":}, quoted as JSON wants. */
  private static byte[] fieldName(String name) {
    String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(name));
    return ("\"" + quoted + "\":").getBytes(StandardCharsets.UTF_8);
  }
}
