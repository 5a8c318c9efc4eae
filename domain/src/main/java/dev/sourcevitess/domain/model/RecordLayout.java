package dev.sourcevitess.domain.model;

import java.util.List;
import java.util.Set;

/**
 * What a stream's records hold: the selected columns, where each sits in the rows an adapter
 * hands over, and whether the change-capture columns follow. Built once per stream (and again
 * when a FIELD event changes the columns), so writers can precompute their field names.
 */
public final class RecordLayout {
  public static final String CDC_UPDATED_AT = "_ab_cdc_updated_at";
  public static final String CDC_DELETED_AT = "_ab_cdc_deleted_at";
  public static final String CDC_CURSOR = "_ab_cdc_cursor";
  public static final String PLANETSCALE_METADATA = "_planetscale_metadata";
  /** The columns records carry that no table has. */
  public static final Set<String> ADDED =
      Set.of(CDC_UPDATED_AT, CDC_DELETED_AT, CDC_CURSOR, PLANETSCALE_METADATA);

  private final List<Column> columns;
  private final int[] sourceIndexes;
  private final boolean cdc;
  private final boolean metadata;

  /**
   * @param sourceIndexes for each column, its index in the rows
   * @param cdc whether records carry {@code _ab_cdc_*} columns
   * @param metadata whether records carry {@code _planetscale_metadata}
   */
  public RecordLayout(List<Column> columns, int[] sourceIndexes, boolean cdc, boolean metadata) {
    if (columns.size() != sourceIndexes.length) {
      throw new IllegalArgumentException("one source index per column");
    }
    this.columns = List.copyOf(columns);
    this.sourceIndexes = sourceIndexes.clone();
    this.cdc = cdc;
    this.metadata = metadata;
  }

  /** The selected columns of {@code rowColumns}, in row order; all when none is named. */
  public static RecordLayout select(List<Column> rowColumns, Set<String> selected, boolean cdc, boolean metadata) {
    List<Column> kept = new java.util.ArrayList<>();
    int[] indexes = new int[rowColumns.size()];
    for (int i = 0; i < rowColumns.size(); i++) {
      Column c = rowColumns.get(i);
      if (selected.isEmpty() || selected.contains(c.name())) {
        indexes[kept.size()] = i;
        kept.add(c);
      }
    }
    return new RecordLayout(kept, java.util.Arrays.copyOf(indexes, kept.size()), cdc, metadata);
  }

  public List<Column> columns() {
    return columns;
  }

  public int size() {
    return columns.size();
  }

  public Column column(int i) {
    return columns.get(i);
  }

  public int sourceIndex(int i) {
    return sourceIndexes[i];
  }

  public boolean cdc() {
    return cdc;
  }

  public boolean metadata() {
    return metadata;
  }
}
