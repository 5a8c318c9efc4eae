package dev.sourcevitess.vstream.fake;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The statements of one transaction, given to {@link FakeShard#commit}. Each call is one statement
 * (one ROW event); rows are MySQL text values in column order, null for NULL.
 */
public final class FakeTransaction {
  sealed interface Op permits Insert, Update, Delete {}

  record Insert(String table, List<List<String>> rows) implements Op {}

  record Update(String table, List<List<String>> rows) implements Op {}

  record Delete(String table, List<List<String>> keys) implements Op {}

  private final List<Op> ops = new ArrayList<>();

  FakeTransaction() {}

  public FakeTransaction insert(String table, String... values) {
    return insertAll(table, List.of(Arrays.asList(values)));
  }

  /** One multi-row INSERT: one ROW event with a row change per row. */
  public FakeTransaction insertAll(String table, List<List<String>> rows) {
    ops.add(new Insert(table, copy(rows)));
    return this;
  }

  /** Replaces the row with the same primary key; the old row is the before image. */
  public FakeTransaction update(String table, String... newValues) {
    ops.add(new Update(table, copy(List.of(Arrays.asList(newValues)))));
    return this;
  }

  /** Deletes the row with this primary key (values in primary-key order). */
  public FakeTransaction delete(String table, String... primaryKey) {
    ops.add(new Delete(table, copy(List.of(Arrays.asList(primaryKey)))));
    return this;
  }

  List<Op> ops() {
    return ops;
  }

  private static List<List<String>> copy(List<List<String>> rows) {
    List<List<String>> out = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      out.add(java.util.Collections.unmodifiableList(new ArrayList<>(row)));
    }
    return out;
  }
}
