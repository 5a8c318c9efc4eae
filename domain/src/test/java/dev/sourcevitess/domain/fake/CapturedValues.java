package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.Column;
import dev.sourcevitess.domain.model.RawRow;
import dev.sourcevitess.domain.model.RecordLayout;
import dev.sourcevitess.domain.model.ValueWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rows into plain Java values through {@link Column#write}, as a JSON writer would see them:
 * numbers as BigDecimal (exact), booleans, strings, base64 strings for bytes, null.
 */
public final class CapturedValues implements ValueWriter {
  private Object value;

  /** The value, or null where the column refuses it, as the record writer nulls it. */
  public static Object valueOf(Column column, RawRow row, int index) {
    CapturedValues capture = new CapturedValues();
    try {
      column.write(row, index, capture);
    } catch (IllegalArgumentException refused) {
      return null;
    }
    return capture.value;
  }

  public static Map<String, Object> dataOf(RecordLayout layout, RawRow row) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (int i = 0; i < layout.size(); i++) {
      data.put(layout.column(i).name(), valueOf(layout.column(i), row, layout.sourceIndex(i)));
    }
    return data;
  }

  public static Map<String, Object> dataOf(List<Column> columns, RawRow row) {
    Map<String, Object> data = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      data.put(columns.get(i).name(), valueOf(columns.get(i), row, i));
    }
    return data;
  }

  @Override
  public void writeNull() {
    value = null;
  }

  @Override
  public void writeBoolean(boolean v) {
    value = v;
  }

  @Override
  public void writeNumber(long v) {
    value = BigDecimal.valueOf(v);
  }

  @Override
  public void writeNumber(byte[] ascii, int offset, int length) {
    value = new BigDecimal(new String(ascii, offset, length, StandardCharsets.US_ASCII));
  }

  @Override
  public void writeString(String v) {
    value = v;
  }

  @Override
  public void writeUtf8String(byte[] utf8, int offset, int length) {
    value = new String(utf8, offset, length, StandardCharsets.UTF_8);
  }

  @Override
  public void writeBase64(byte[] bytes, int offset, int length) {
    byte[] copy = new byte[length];
    System.arraycopy(bytes, offset, copy, 0, length);
    value = "base64:" + Base64.getEncoder().encodeToString(copy);
  }
}
