package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.KeyValue;
import dev.sourcevitess.domain.model.LastKey;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.Table;
import dev.sourcevitess.domain.port.RowSnapshots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Tables of text rows, scanned in key order; can lose the connection after a number of rows. */
public final class FakeRowSnapshots implements RowSnapshots {
  private final Map<String, List<String[]>> rows = new HashMap<>();
  private final Map<String, Table> whole = new HashMap<>();
  private final List<List<String>> scannedColumns = new ArrayList<>();
  private final List<LastKey> resumedAfter = new ArrayList<>();
  private final AtomicInteger failAfterRows = new AtomicInteger(-1);
  private int failuresLeft;

  public FakeRowSnapshots put(String table, List<String[]> tableRows) {
    rows.put(table, new ArrayList<>(tableRows));
    return this;
  }

  /**
   * Rows of all of {@code table}'s columns: a scan of fewer columns hands over those only, as a
   * SELECT of them does;
   */
  public FakeRowSnapshots put(Table table, List<String[]> tableRows) {
    whole.put(table.name(), table);
    return put(table.name(), tableRows);
  }

  /** The columns each scan asked for, in scan order. */
  public List<List<String>> scannedColumns() {
    return java.util.Collections.unmodifiableList(new ArrayList<>(scannedColumns));
  }

  /** The next {@code times} scans that reach row {@code count} of the table (from 0) fail there. */
  public void failAfter(int count, int times) {
    failAfterRows.set(count);
    failuresLeft = times;
  }

  /** The keys scans were asked to resume after (null for a scan from the start). */
  public List<LastKey> resumedAfter() {
    return java.util.Collections.unmodifiableList(new ArrayList<>(resumedAfter));
  }

  @Override
  public void scan(Table table, LastKey after, RowHandler handler) {
    resumedAfter.add(after);
    scannedColumns.add(table.columnNames());
    Table all = whole.getOrDefault(table.name(), table);
    int[] projection = table.columnNames().stream().mapToInt(all::indexOf).toArray();
    List<Integer> keyIndexes = all.primaryKey().stream().map(all::indexOf).toList();
    List<String[]> sorted = new ArrayList<>(rows.getOrDefault(table.name(), List.of()));
    if (!keyIndexes.isEmpty()) {
      sorted.sort((a, b) -> KeyOrder.INSTANCE.compare(key(a, keyIndexes), key(b, keyIndexes)));
    }
    List<String> from = after == null ? null : after.values().stream()
        .map(KeyValue::value).map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    for (int index = 0; index < sorted.size(); index++) {
      String[] row = sorted.get(index);
      if (from != null && KeyOrder.INSTANCE.compare(key(row, keyIndexes), from) <= 0) {
        continue;
      }
      if (failuresLeft > 0 && index == failAfterRows.get()) {
        failuresLeft--;
        throw new SourceException(FailureType.TRANSIENT_ERROR, "lost the connection reading " + table.name(), "fake");
      }
      String[] selected = new String[projection.length];
      for (int i = 0; i < projection.length; i++) {
        selected[i] = row[projection[i]];
      }
      handler.onRow(TextRow.of(selected));
    }
  }

  private static List<String> key(String[] row, List<Integer> indexes) {
    return indexes.stream().map(i -> row[i]).toList();
  }
}
