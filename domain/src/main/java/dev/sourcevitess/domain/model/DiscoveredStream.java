package dev.sourcevitess.domain.model;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A stream as discover describes it.
 *
 * @param cdc whether records carry the {@code _ab_cdc_*} columns (VSTREAM)
 * @param metadata whether records carry {@code _planetscale_metadata}
 * @param defaultCursorField empty when the source defines no cursor
 */
public record DiscoveredStream(
    StreamId id,
    List<Column> columns,
    List<String> primaryKey,
    Set<SyncMode> syncModes,
    boolean cdc,
    boolean metadata,
    boolean sourceDefinedCursor,
    List<String> defaultCursorField,
    boolean resumable) {
  public DiscoveredStream {
    Objects.requireNonNull(id, "id");
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    syncModes = Set.copyOf(syncModes);
    defaultCursorField = List.copyOf(defaultCursorField);
  }
}
