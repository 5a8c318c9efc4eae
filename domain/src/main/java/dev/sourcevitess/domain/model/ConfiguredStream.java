package dev.sourcevitess.domain.model;

import java.util.Objects;
import java.util.Set;

/**
 * A stream the user chose to sync.
 *
 * @param selectedColumns the columns the configured schema lists; empty means all
 */
public record ConfiguredStream(StreamId id, SyncMode syncMode, Set<String> selectedColumns) {
  public ConfiguredStream {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(syncMode, "syncMode");
    selectedColumns = Set.copyOf(selectedColumns);
  }
}
