package dev.sourcevitess.domain.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.sourcevitess.domain.fake.PropertyInputs;
import dev.sourcevitess.domain.fake.TextRow;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@link Column#write}: the exact calls a column makes on its {@link ValueWriter} for MySQL text
 * values. Every value is written twice, once from a row of separate arrays and once from a row
 * whose values are packed in one shared buffer (as VStream rows are), and both must agree.
 */
class ColumnWriteTest {

  /**
   * One call on the writer. Strings compare by their UTF-8 bytes whichever method wrote them
   * ({@code raw} says whether they came as bytes); numbers by their literal text.
   */
  record Call(String kind, String text, byte[] bytes, boolean raw) {
    static Call ofNull() {
      return new Call("null", null, null, false);
    }

    static Call bool(boolean b) {
      return new Call("boolean", Boolean.toString(b), null, false);
    }

    static Call number(String literal) {
      return new Call("number", literal, null, false);
    }

    static Call string(String s) {
      return new Call("string", null, s.getBytes(StandardCharsets.UTF_8), false);
    }

    static Call base64(byte[] b) {
      return new Call("base64", null, b.clone(), false);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Call c && kind.equals(c.kind) && Objects.equals(text, c.text)
          && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
      return Objects.hash(kind, text) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      if (bytes == null) {
        return text == null ? kind : kind + ":" + text;
      }
      return kind + ":'" + new String(bytes, StandardCharsets.UTF_8) + "' [" + HexFormat.of().formatHex(bytes) + "]";
    }
  }

  /** Records every call, copying bytes at call time (buffers may be reused afterwards). */
  static final class RecordingWriter implements ValueWriter {
    final List<Call> calls = new ArrayList<>();

    @Override
    public void writeNull() {
      calls.add(Call.ofNull());
    }

    @Override
    public void writeBoolean(boolean value) {
      calls.add(Call.bool(value));
    }

    @Override
    public void writeNumber(long value) {
      calls.add(Call.number(Long.toString(value)));
    }

    @Override
    public void writeNumber(byte[] ascii, int offset, int length) {
      calls.add(Call.number(new String(ascii, offset, length, StandardCharsets.US_ASCII)));
    }

    @Override
    public void writeString(String value) {
      calls.add(Call.string(value));
    }

    @Override
    public void writeUtf8String(byte[] utf8, int offset, int length) {
      calls.add(new Call("string", null, Arrays.copyOfRange(utf8, offset, offset + length), true));
    }

    @Override
    public void writeBase64(byte[] bytes, int offset, int length) {
      calls.add(new Call("base64", null, Arrays.copyOfRange(bytes, offset, offset + length), true));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** JSON's number grammar (RFC 8259). */
  static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

  static Column nullable(String columnType) {
    return new Column("c", ColumnType.parse(columnType, true), true);
  }

  static Column notNull(String columnType) {
    return new Column("c", ColumnType.parse(columnType, true), false);
  }

  static Column byIndex(String columnType) {
    return new Column("c", ColumnType.parse(columnType, true).withMembersByIndex(true), true);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The one call {@code column} makes for {@code value} (null = NULL), the same from both row shapes. */
  static Call write(Column column, byte[] value) {
    RecordingWriter alone = new RecordingWriter();
    column.write(TextRow.ofBytes(value), 0, alone);
    assertEquals(1, alone.calls.size(), () -> "one call per value, got " + alone.calls);

    byte[] neighbour = utf8("x");
    RecordingWriter packed = new RecordingWriter();
    column.write(TextRow.packedBytes(neighbour, value, neighbour), 1, packed);
    assertEquals(alone.calls, packed.calls, "a value packed in a shared buffer is read from its offset");

    Call call = alone.calls.get(0);
    if (call.kind().equals("number")) {
      assertTrue(JSON_NUMBER.matcher(call.text()).matches(), () -> "not a JSON number: " + call.text());
    }
    return call;
  }

  static Call write(Column column, String value) {
    return write(column, value == null ? null : utf8(value));
  }

  // ---------------------------------------------------------------------------------------------
  // NULL

  @ParameterizedTest
  @ValueSource(strings = {"tinyint(1)", "bit(1)", "int", "bigint unsigned", "decimal(12,4)", "double", "date",
      "datetime(6)", "timestamp", "time", "varchar(10)", "enum('a')", "set('a')", "json", "blob", "bit(8)",
      "geometry"})
  void nullIsNull(String columnType) {
    assertEquals(Call.ofNull(), write(nullable(columnType), (byte[]) null));
    assertEquals(Call.ofNull(), write(byIndex(columnType), (byte[]) null));
  }

  // ---------------------------------------------------------------------------------------------
  // Booleans

  @ParameterizedTest
  @CsvSource({"0, false", "1, true", "-1, true", "2, true", "127, true", "-128, true", "10, true"})
  void tinyintOneIsABoolean(String text, boolean expected) {
    assertEquals(Call.bool(expected), write(nullable("tinyint(1)"), text));
  }

  @Test
  void bitOneIsABooleanFromItsByte() {
    assertEquals(Call.bool(false), write(nullable("bit(1)"), new byte[] {0x00}));
    assertEquals(Call.bool(true), write(nullable("bit(1)"), new byte[] {0x01}));
  }

  @Test
  void tinyintOneWithoutTheBooleanOptionIsANumber() {
    Column c = new Column("c", ColumnType.parse("tinyint(1)", false), true);
    assertEquals(Call.number("1"), write(c, "1"));
    assertEquals(Call.number("-1"), write(c, "-1"));
    assertEquals(Call.number("0"), write(c, "0"));
  }

  // ---------------------------------------------------------------------------------------------
  // Numbers

  @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', value = {
      "int | 42 | 42",
      "int | -7 | -7",
      "int | 0 | 0",
      "tinyint(4) | -128 | -128",
      "smallint unsigned | 65535 | 65535",
      "int(10) unsigned | 4294967295 | 4294967295",
      "bigint | 9223372036854775807 | 9223372036854775807",
      "bigint | -9223372036854775808 | -9223372036854775808",
      "bigint(20) unsigned | 18446744073709551615 | 18446744073709551615",
      "int(5) unsigned zerofill | 00042 | 42",
      "int(5) unsigned zerofill | 00000 | 0",
      "int(5) unsigned zerofill | 12345 | 12345",
      "bigint(20) unsigned zerofill | 18446744073709551615 | 18446744073709551615",
      "bigint(20) unsigned zerofill | 00000000000000000007 | 7",
      "year(4) | 2024 | 2024",
      "year(4) | 0000 | 0",
      "decimal(12,4) | 0.5 | 0.5",
      "decimal(12,4) | -0.25 | -0.25",
      "decimal(12,4) | 1234.5000 | 1234.5000",
      "decimal(12,4) | 0.0000 | 0.0000",
      "decimal(6,2) zerofill | -0005.50 | -5.50",
      "decimal(6,2) unsigned zerofill | 0005.50 | 5.50",
      "decimal(6,2) unsigned zerofill | 0000.05 | 0.05",
      "decimal(6,2) | .5 | 0.5",
      "decimal(6,2) | -.5 | -0.5",
      "decimal(65,30) | 12345678901234567890123456789012345.123456789012345678901234567890"
          + " | 12345678901234567890123456789012345.123456789012345678901234567890",
      "decimal(10,0) | -9999999999 | -9999999999",
      "float | 1e20 | 1e20",
      "float | -1.5e-10 | -1.5e-10",
      "float | 3.14 | 3.14",
      "double | 1.7976931348623157e308 | 1.7976931348623157e308",
      "double | 4.9e-324 | 4.9e-324",
      "double | 0.1 | 0.1",
      "double | -0 | -0",
      "double | 123456789012345678 | 123456789012345678",
  })
  void numbersAreExactJsonLiterals(String columnType, String text, String expected) {
    assertEquals(Call.number(expected), write(nullable(columnType), text));
  }

  /** Through a double, 0.1 + 30 digits or a 20-digit integer would come out different. */
  @Test
  void numbersNeverGoThroughADouble() {
    String long1 = "0.100000000000000000000000000001";
    assertEquals(Call.number(long1), write(nullable("decimal(31,30)"), long1));
    assertEquals(Call.number("18446744073709551615"), write(nullable("bigint unsigned"), "18446744073709551615"));
    assertEquals(Call.number("9007199254740993"), write(nullable("bigint"), "9007199254740993"));
  }

  // ---------------------------------------------------------------------------------------------
  // Dates and times

  @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
  @CsvSource({
      "date, 2024-02-29, 2024-02-29",
      "date, 1000-01-01, 1000-01-01",
      "date, 9999-12-31, 9999-12-31",
      "datetime, 2024-02-29 13:45:00, 2024-02-29T13:45:00",
      "datetime(6), 2024-02-29 13:45:00.123456, 2024-02-29T13:45:00.123456",
      "datetime(3), 1999-12-31 23:59:59.999, 1999-12-31T23:59:59.999",
      "timestamp, 2024-02-29 13:45:00, 2024-02-29T13:45:00Z",
      "timestamp(3), 2024-02-29 13:45:00.123, 2024-02-29T13:45:00.123Z",
      "timestamp(6), 1970-01-01 00:00:01.000000, 1970-01-01T00:00:01.000000Z",
      "time, 13:45:00, 13:45:00",
      "time(3), 13:45:00.123, 13:45:00.123",
      "time, 00:00:00, 00:00:00",
      "time(6), 23:59:59.999999, 23:59:59.999999",
  })
  void temporalValuesInIsoForm(String columnType, String text, String expected) {
    assertEquals(Call.string(expected), write(nullable(columnType), text));
    assertEquals(Call.string(expected), write(notNull(columnType), text), "NOT NULL changes nothing for real dates");
  }

  /** MySQL's TIME holds durations too; Airbyte's time is a time of day, so those are refused (and nulled). */
  @ParameterizedTest
  @ValueSource(strings = {"-01:00:00", "838:59:59", "24:00:00", "12:60:00", "12:00:60", "1:00:00", "12:00:00.",
      "12:00:00.5x", "12-00-00", "", "ab:cd:ef"})
  void timesThatAreNoTimeOfDayAreRefused(String text) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> write(nullable("time(6)"), text));
    assertTrue(refused.getMessage().contains("is not a time of day"), refused.getMessage());
  }

  @ParameterizedTest(name = "{0} ''{1}''")
  @CsvSource({
      "date, 0000-00-00",
      "date, 2024-00-10",
      "date, 2024-02-00",
      "datetime, 0000-00-00 00:00:00",
      "datetime(6), 0000-00-00 00:00:00.000000",
      "datetime, 2024-00-10 12:00:00",
      "datetime, 2024-02-00 12:00:00",
      "timestamp, 0000-00-00 00:00:00",
      "timestamp(3), 0000-00-00 00:00:00.000",
  })
  void zeroDatesAreNullWhenNullable(String columnType, String text) {
    assertEquals(Call.ofNull(), write(nullable(columnType), text));
  }

  @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
  @CsvSource({
      "date, 0000-00-00, 1970-01-01",
      "date, 2024-00-10, 1970-01-01",
      "date, 2024-02-00, 1970-01-01",
      "datetime, 0000-00-00 00:00:00, 1970-01-01T00:00:00",
      "datetime(6), 0000-00-00 00:00:00.000000, 1970-01-01T00:00:00",
      "datetime, 2024-00-10 12:00:00, 1970-01-01T00:00:00",
      "timestamp, 0000-00-00 00:00:00, 1970-01-01T00:00:00Z",
      "timestamp(3), 0000-00-00 00:00:00.000, 1970-01-01T00:00:00Z",
  })
  void zeroDatesAreTheEpochWhenNotNull(String columnType, String text, String expected) {
    assertEquals(Call.string(expected), write(notNull(columnType), text));
  }

  // ---------------------------------------------------------------------------------------------
  // Text, JSON, ENUM, SET

  @Test
  void textGoesOutAsItsUtf8Bytes() {
    String s = "héllo 日本 😀 \"quoted\" \\ \n\t";
    RecordingWriter w = new RecordingWriter();
    nullable("varchar(255)").write(TextRow.ofBytes(utf8(s)), 0, w);
    assertEquals(List.of(Call.string(s)), w.calls);
    assertTrue(w.calls.get(0).raw(), "passed as bytes, not decoded first");
    assertArrayEquals(utf8(s), w.calls.get(0).bytes());
    assertEquals(Call.string(s), write(nullable("longtext"), s));
  }

  @Test
  void textBytesArePassedUnchangedEvenWhenNotUtf8() {
    // a latin1 column's bytes: the writer decides how to escape them, the column does not decode
    byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
    RecordingWriter w = new RecordingWriter();
    nullable("varchar(10)").write(TextRow.ofBytes(latin1), 0, w);
    assertArrayEquals(latin1, w.calls.get(0).bytes());
  }

  @Test
  void emptyStringIsNotNull() {
    assertEquals(Call.string(""), write(nullable("varchar(10)"), ""));
    assertEquals(Call.string(""), write(nullable("char(1)"), ""));
    assertEquals(Call.string(""), write(nullable("text"), ""));
    assertEquals(Call.string(""), write(nullable("enum('','a')"), ""));
  }

  @Test
  void textThatLooksLikeOtherTypesStaysText() {
    assertEquals(Call.string("0000-00-00"), write(nullable("varchar(10)"), "0000-00-00"));
    assertEquals(Call.string("00042"), write(nullable("char(5)"), "00042"));
    assertEquals(Call.string("0"), write(nullable("uuid"), "0"));
  }

  @Test
  void jsonIsItsText() {
    String doc = "{\"a\": [1, 2.50, \"é\"], \"b\": null}";
    assertEquals(Call.string(doc), write(nullable("json"), doc));
    assertEquals(Call.string("\"just a string\""), write(nullable("json"), "\"just a string\""));
  }

  @Test
  void enumAndSetByString() {
    assertEquals(Call.string("b"), write(nullable("enum('a','b','c')"), "b"));
    assertEquals(Call.string("it's"), write(nullable("enum('a','it''s')"), "it's"));
    assertEquals(Call.string("a,c"), write(nullable("set('a','b','c')"), "a,c"));
    assertEquals(Call.string("日本"), write(nullable("enum('日本','x')"), "日本"));
    // a copy row carries the member itself, even when it looks like a number
    assertEquals(Call.string("2"), write(nullable("enum('1','2')"), "2"));
  }

  @ParameterizedTest(name = "{0} index ''{1}'' -> ''{2}''")
  @CsvSource(quoteCharacter = '"', value = {
      "\"enum('a','b','c')\", 1, a",
      "\"enum('a','b','c')\", 2, b",
      "\"enum('a','b','c')\", 3, c",
      "\"enum('a','b','c')\", 0, \"\"",
      "\"enum('a','it''s')\", 2, it's",
      "\"set('a','b','c')\", 5, \"a,c\"",
      "\"set('a','b','c')\", 1, a",
      "\"set('a','b','c')\", 2, b",
      "\"set('a','b','c')\", 4, c",
      "\"set('a','b','c')\", 7, \"a,b,c\"",
      "\"set('a','b','c')\", 6, \"b,c\"",
      "\"set('a','b','c')\", 0, \"\"",
  })
  void enumAndSetByIndex(String columnType, String number, String expected) {
    assertEquals(Call.string(expected), write(byIndex(columnType), number));
  }

  @Test
  void setBitmaskOverManyMembers() {
    StringBuilder type = new StringBuilder("set(");
    for (int i = 0; i < 64; i++) {
      type.append(i == 0 ? "" : ",").append("'m").append(i).append('\'');
    }
    Column c = byIndex(type.append(')').toString());
    assertEquals(Call.string("m63"), write(c, Long.toUnsignedString(1L << 63)));
    assertEquals(Call.string("m0,m63"), write(c, Long.toUnsignedString((1L << 63) | 1)));
  }

  // ---------------------------------------------------------------------------------------------
  // Binary

  @Test
  void binaryIsBase64OfTheExactBytes() {
    byte[] invalidUtf8 = {(byte) 0xff, 0x00, (byte) 0xfe, (byte) 0x80, 'A', (byte) 0xc3};
    assertEquals(Call.base64(invalidUtf8), write(nullable("varbinary(16)"), invalidUtf8));
    assertEquals(Call.base64(invalidUtf8), write(nullable("blob"), invalidUtf8));
    assertEquals(Call.base64(invalidUtf8), write(nullable("longblob"), invalidUtf8));
    assertEquals(Call.base64(utf8("abc")), write(nullable("binary(3)"), utf8("abc")), "even valid UTF-8");
    assertEquals(Call.base64(new byte[0]), write(nullable("varbinary(16)"), new byte[0]));
  }

  @Test
  void wideBitsAndGeometriesAreBase64() {
    assertEquals(Call.base64(new byte[] {(byte) 0x81}), write(nullable("bit(8)"), new byte[] {(byte) 0x81}));
    assertEquals(Call.base64(new byte[] {0, 0, 0, 1}), write(nullable("bit(32)"), new byte[] {0, 0, 0, 1}));
    byte[] point = HexFormat.of().parseHex("000000000101000000000000000000f03f0000000000000040");
    assertEquals(Call.base64(point), write(nullable("point"), point));
    assertEquals(Call.base64(point), write(nullable("geometry"), point));
  }

  // ---------------------------------------------------------------------------------------------
  // Columns

  @Test
  void aColumnNeedsANameAndAType() {
    ColumnType t = ColumnType.parse("int", true);
    assertThrows(IllegalArgumentException.class, () -> new Column("", t, true));
    assertThrows(IllegalArgumentException.class, () -> new Column(null, t, true));
    assertThrows(NullPointerException.class, () -> new Column("c", null, true));
    assertEquals(JsonType.INTEGER, new Column("c", t, true).jsonType());
  }

  // ---------------------------------------------------------------------------------------------
  // Decimals are exact: a property

  /** A DECIMAL(M,D) value as MySQL prints it, and variants of its spelling. */
  record DecimalText(BigDecimal value, String text) {}

  /** Unscaled values up to 65 digits (the largest and smallest weighted in) or small ones, scales 0 to 30. */
  static Gen<DecimalText> decimals() {
    BigInteger limit = BigInteger.TEN.pow(65);
    // 0 to 28 random bytes reach every magnitude up to 10^65 (2^216 < 10^65 < 2^224)
    Gen<BigInteger> unscaled = PropertyInputs.bytes(28)
        .map(b -> b.length == 0 ? BigInteger.ZERO : new BigInteger(b).remainder(limit))
        .mix(Generate.pick(List.of(limit.subtract(BigInteger.ONE), limit.negate().add(BigInteger.ONE))), 5);
    Gen<BigInteger> small = integers().between(-100000, 100000).map(BigInteger::valueOf);
    Gen<Integer> scale = integers().between(0, 30);
    Gen<Integer> spelling = integers().between(0, 3);
    Gen<Integer> zeroFill = integers().between(1, 12);
    return Generate.oneOf(unscaled, small).zip(scale, spelling, zeroFill, (u, d, how, pad) -> {
      BigDecimal v = new BigDecimal(u, d);
      String plain = v.toPlainString();
      String sign = v.signum() < 0 ? "-" : "";
      String digits = plain.substring(sign.length());
      String text = switch (how) {
        case 1 -> sign + "0".repeat(pad) + digits; // ZEROFILL
        case 2 -> digits.startsWith("0.") ? sign + digits.substring(1) : plain; // .5
        default -> plain;
      };
      return new DecimalText(v, text);
    });
  }

  @Test
  @DisplayName("a decimal's literal is the same number, scale included, and valid JSON")
  void decimalsAreExact() {
    qt().withExamples(1000).withFixedSeed(1).forAll(decimals()).checkAssert(d -> {
      Call call = write(nullable("decimal(65,30)"), d.text());
      assertEquals("number", call.kind());
      BigDecimal back = new BigDecimal(call.text());
      assertEquals(0, back.compareTo(d.value()), () -> d.text() + " -> " + call.text());
      assertEquals(d.value().scale(), back.scale(), "the declared scale is kept");
      if (d.text().equals(d.value().toPlainString())) {
        assertEquals(d.text(), call.text(), "already JSON: byte for byte");
      }
    });
  }

  @Test
  @DisplayName("integers, zero-filled or not, come out as the same number")
  void integersAreExact() {
    qt().withExamples(1000).withFixedSeed(1)
        .forAll(PropertyInputs.anyLong(), integers().between(0, 21), booleans().all())
        .checkAssert((n, width, unsigned) -> {
          String digits = unsigned ? Long.toUnsignedString(n) : Long.toString(n);
          String expected = digits;
          if (unsigned && digits.length() < width) {
            digits = "0".repeat(width - digits.length()) + digits;
          }
          String type = unsigned ? "bigint(" + Math.max(width, 1) + ") unsigned zerofill" : "bigint";
          assertEquals(Call.number(expected), write(nullable(type), digits));
        });
  }
}
