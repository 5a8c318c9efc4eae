package dev.sourcevitess.domain.model;

import java.util.ArrayList;
import java.util.List;

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
}
