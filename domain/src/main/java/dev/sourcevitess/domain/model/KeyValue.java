package dev.sourcevitess.domain.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One column of a last-seen primary key.
 *
 * @param column the key column's name
 * @param typeTag Vitess's {@code query.Type} number as VTGate sent it (0 when we made the key)
 * @param value the value in MySQL's text form, or null for NULL
 */
public record KeyValue(String column, int typeTag, byte[] value) {
  public KeyValue {
    Objects.requireNonNull(column, "column");
    value = value == null ? null : value.clone();
  }

  public static KeyValue text(String column, int typeTag, String value) {
    return new KeyValue(column, typeTag, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] value() {
    return value == null ? null : value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue k && column.equals(k.column) && typeTag == k.typeTag
        && Arrays.equals(value, k.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(column, typeTag) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return column + "=" + (value == null ? "NULL" : new String(value, StandardCharsets.UTF_8));
  }
}
