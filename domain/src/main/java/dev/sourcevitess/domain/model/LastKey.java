package dev.sourcevitess.domain.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The primary key of the last row a copy emitted: where a resumed copy goes on from. */
public record LastKey(List<KeyValue> values) {
  public LastKey {
    values = List.copyOf(values);
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a last key needs at least one column");
    }
  }

  /** The key of {@code row}, a row of {@code table}. */
  public static LastKey of(Table table, RawRow row) {
    List<KeyValue> parts = new ArrayList<>(table.primaryKey().size());
    for (String key : table.primaryKey()) {
      int i = table.indexOf(key);
      byte[] value = null;
      if (!row.isNull(i)) {
        value = new byte[row.length(i)];
        System.arraycopy(row.buffer(i), row.offset(i), value, 0, value.length);
      }
      parts.add(new KeyValue(key, 0, value));
    }
    return new LastKey(parts);
  }

  /**
   * What keeps this key from being a key of {@code table}, or empty when it is one: other
   * columns than the table's primary key, a NULL, or a value its column cannot hold.
   */
  public Optional<String> misfit(Table table) {
    List<String> columns = values.stream().map(KeyValue::column).toList();
    if (!columns.equals(table.primaryKey())) {
      return Optional.of("it is on columns " + columns + " but the table's primary key is " + table.primaryKey());
    }
    for (KeyValue part : values) {
      Column column = table.column(part.column());
      byte[] value = part.value();
      if (value == null) {
        return Optional.of("it has NULL for key column " + column.name() + ", which cannot hold NULL");
      }
      if (!KeyTextForm.fits(column.type(), value)) {
        String text = new String(value, StandardCharsets.UTF_8);
        return Optional.of("its value " + quote(text) + " for key column " + column.name() + " is no "
            + column.type().mysqlType() + " value");
      }
    }
    return Optional.empty();
  }

  private static String quote(String text) {
    String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
    return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
