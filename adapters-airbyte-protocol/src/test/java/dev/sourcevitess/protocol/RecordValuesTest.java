package dev.sourcevitess.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.ColumnType;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.port.ReadOutput;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each kind of column, from MySQL's text form to the exact JSON value. */
class RecordValuesTest {
  private static final StreamId STREAM = new StreamId("shop", "kinds");

  private final CountingOutputStream stdout = new CountingOutputStream();
  private final AirbyteProtocol protocol =
      AirbyteProtocol.create(stdout, Clock.fixed(MessageWriterTest.NOW, ZoneOffset.UTC));
  private final ReadOutput read = protocol.readOutput();

  private final List<Column> columns = new ArrayList<>();
  private final List<Object> values = new ArrayList<>();

  private void add(String name, ColumnType type, boolean nullable, Object value) {
    columns.add(new Column(name, type, nullable));
    values.add(value);
  }

  private void add(String name, String mysqlType, boolean nullable, Object value) {
    add(name, ColumnType.parse(mysqlType, true), nullable, value);
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private String data() {
    RecordLayout layout = RecordLayout.select(columns, Set.of(), false, false);
    read.record(STREAM, layout, FakeRow.of(values.toArray()), null);
    protocol.flush();
    String line = stdout.lines()[0];
    String prefix = "{\"type\":\"RECORD\",\"record\":{\"namespace\":\"shop\",\"stream\":\"kinds\",\"data\":";
    String suffix = ",\"emitted_at\":" + MessageWriterTest.NOW_MILLIS + "}}";
    assertTrue(line.startsWith(prefix) && line.endsWith(suffix), line);
    return line.substring(prefix.length(), line.length() - suffix.length());
  }

  @Test
  void writesEveryKindExactly() throws Exception {
    add("flag", "tinyint(1)", false, "1");
    add("off", "tinyint(1)", false, "0");
    add("bit", "bit(1)", false, bytes(1));
    add("small", "smallint", false, "-12");
    add("big", "bigint unsigned", false, "18446744073709551615");
    add("filled", "int(5) unsigned zerofill", false, "00042");
    add("dec", "decimal(30,9)", false, "12345678901234567890.123456789");
    add("neg_dec", "decimal(5,2)", false, "-0.50");
    add("dbl", "double", false, "-1.5e-7");
    add("d", "date", false, "2024-02-29");
    add("dt", "datetime(6)", false, "2024-02-29 13:45:07.123456");
    add("ts", "timestamp", false, "2024-02-29 13:45:07");
    add("zero_d", "date", true, "0000-00-00");
    add("zero_dt", "datetime", false, "0000-00-00 00:00:00");
    add("zero_ts", "timestamp", false, "2024-00-10 00:00:00");
    add("t", "time", false, "13:45:07");
    add("txt", "varchar(64)", false, "héllo \"wörld\"\\\n\t😀");
    add("bad_txt", "text", false, bytes('a', 0xFF, 'b'));
    add("e", "enum('small','large')", false, "large");
    add("e_index", ColumnType.parse("enum('small','large')", true).withMembersByIndex(true), false, "2");
    add("s_mask", ColumnType.parse("set('a','b','c')", true).withMembersByIndex(true), false, "5");
    add("j", "json", true, "{\"k\": [1, 2.50]}");
    add("bin", "varbinary(8)", false, bytes(0xFF, 0xFE, 0x00, 0x80));
    add("blob_utf8", "blob", false, "abc");
    add("nothing", "int", true, null);
    EnumSet<ColumnType.Kind> covered = EnumSet.noneOf(ColumnType.Kind.class);
    columns.forEach(c -> covered.add(c.type().kind()));
    assertEquals(EnumSet.allOf(ColumnType.Kind.class), covered, "a kind of column is not tried here");

    String data = data();
    assertEquals("{\"flag\":true,\"off\":false,\"bit\":true,\"small\":-12,\"big\":18446744073709551615,\"filled\":42,"
        + "\"dec\":12345678901234567890.123456789,\"neg_dec\":-0.50,\"dbl\":-1.5e-7,"
        + "\"d\":\"2024-02-29\",\"dt\":\"2024-02-29T13:45:07.123456\",\"ts\":\"2024-02-29T13:45:07Z\","
        + "\"zero_d\":null,\"zero_dt\":\"1970-01-01T00:00:00\",\"zero_ts\":\"1970-01-01T00:00:00Z\","
        + "\"t\":\"13:45:07\",\"txt\":\"héllo \\\"wörld\\\"\\\\\\n\\t😀\",\"bad_txt\":\"a\uFFFDb\","
        + "\"e\":\"large\",\"e_index\":\"large\",\"s_mask\":\"a,c\",\"j\":\"{\\\"k\\\": [1, 2.50]}\","
        + "\"bin\":\"//4AgA==\",\"blob_utf8\":\"YWJj\",\"nothing\":null}", data);

    // and read back, the values are what they were, to the last digit
    JsonNode parsed = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).readTree(data);
    assertEquals(new BigInteger("18446744073709551615"), parsed.get("big").bigIntegerValue());
    assertEquals(new BigDecimal("12345678901234567890.123456789"), parsed.get("dec").decimalValue());
    assertEquals("héllo \"wörld\"\\\n\t😀", parsed.get("txt").textValue());
    assertArrayEquals(bytes(0xFF, 0xFE, 0x00, 0x80), parsed.get("bin").binaryValue());
  }

  @Test
  void nullsAValueItCannotWriteAndSaysSo() throws Exception {
    add("id", "int", false, "1");
    add("e", "int", false, "12x");
    add("f", "double", false, "1.2.3");
    add("ok", "varchar(5)", false, "fine");
    read.record(STREAM, RecordLayout.select(columns, Set.of(), false, false), FakeRow.of(values.toArray()), null);
    protocol.flush();
    String[] lines = stdout.lines();
    assertEquals("{\"type\":\"RECORD\",\"record\":{\"namespace\":\"shop\",\"stream\":\"kinds\","
        + "\"data\":{\"id\":1,\"e\":null,\"f\":null,\"ok\":\"fine\"},\"meta\":{\"changes\":["
        + "{\"field\":\"e\",\"change\":\"NULLED\",\"reason\":\"SOURCE_SERIALIZATION_ERROR\"},"
        + "{\"field\":\"f\",\"change\":\"NULLED\",\"reason\":\"SOURCE_SERIALIZATION_ERROR\"}]},"
        + "\"emitted_at\":" + MessageWriterTest.NOW_MILLIS + "}}", lines[0]);
    assertEquals(3, lines.length, stdout.text());
    JsonNode warning = new ObjectMapper().readTree(lines[1]);
    assertEquals("WARN", warning.at("/log/level").asText());
    assertTrue(warning.at("/log/message").asText().startsWith("Column e (int) of stream shop.kinds had a value"),
        lines[1]);
    assertTrue(lines[2].contains("Column f (double)"), lines[2]);

    // the same columns failing again are not logged again
    read.record(STREAM, RecordLayout.select(columns, Set.of(), false, false), FakeRow.of(values.toArray()), null);
    protocol.flush();
    assertEquals(4, stdout.lines().length, stdout.text());
  }

  @Test
  void aTimeThatIsNoTimeOfDayIsNulledAndListed() throws Exception {
    add("t", "time", false, "838:59:59");
    add("ok", "time", false, "23:59:59");
    read.record(STREAM, RecordLayout.select(columns, Set.of(), false, false), FakeRow.of(values.toArray()), null);
    protocol.flush();
    String[] lines = stdout.lines();
    JsonNode record = new ObjectMapper().readTree(lines[0]).get("record");
    assertTrue(record.at("/data/t").isNull(), lines[0]);
    assertEquals("23:59:59", record.at("/data/ok").asText());
    assertEquals("t", record.at("/meta/changes/0/field").asText());
    assertTrue(lines[1].contains("is not a time of day"), lines[1]);
  }

  @Test
  void writesNumbersLongerThanItsBuffer() {
    String huge = "9".repeat(150) + "." + "1".repeat(60);
    add("n", "decimal(65,30)", false, huge);
    assertEquals("{\"n\":" + huge + "}", data());
  }
}
