package dev.sourcevitess.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.model.ValueWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records what {@link Column#write} emits for one value, as the JSON text it stands for. */
final class JsonText implements ValueWriter {
  private final StringBuilder out = new StringBuilder();
  private int writes;

  /** What {@link #of} gives for a value its column refuses (the record writer nulls it). */
  static final String REFUSED = "(refused)";

  /** The JSON of {@code row}'s column {@code index}; fails unless exactly one value was written. */
  static String of(Column column, RawRow row, int index) {
    JsonText text = new JsonText();
    try {
      column.write(row, index, text);
    } catch (IllegalArgumentException refused) {
      return REFUSED;
    }
    assertEquals(1, text.writes, "values written for column " + column.name());
    return text.out.toString();
  }

  /** Every column of {@code row}, by name, in table order. */
  static Map<String, String> row(Table table, RawRow row) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < table.columns().size(); i++) {
      values.put(table.columns().get(i).name(), of(table.columns().get(i), row, i));
    }
    return values;
  }

  @Override
  public void writeNull() {
    append("null");
  }

  @Override
  public void writeBoolean(boolean value) {
    append(Boolean.toString(value));
  }

  @Override
  public void writeNumber(long value) {
    append(Long.toString(value));
  }

  @Override
  public void writeNumber(byte[] ascii, int offset, int length) {
    append(new String(ascii, offset, length, StandardCharsets.US_ASCII));
  }

  @Override
  public void writeString(String value) {
    append(quote(value));
  }

  @Override
  public void writeUtf8String(byte[] utf8, int offset, int length) {
    try {
      // strict decoding: text that is not UTF-8 must fail the test, not turn into U+FFFD
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8, offset, length))
          .toString();
      append(quote(s));
    } catch (CharacterCodingException e) {
      throw new AssertionError("not UTF-8: " + java.util.HexFormat.of().formatHex(utf8, offset, offset + length), e);
    }
  }

  @Override
  public void writeBase64(byte[] bytes, int offset, int length) {
    byte[] copy = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    append(quote(Base64.getEncoder().encodeToString(copy)));
  }

  private void append(String json) {
    writes++;
    out.append(json);
  }

  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\n' -> q.append("\\n");
        case '\r' -> q.append("\\r");
        case '\t' -> q.append("\\t");
        default -> {
          if (c < 0x20) {
            q.append(String.format("\\u%04x", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }
}
