package dev.sourcevitess.domain.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * A stream's state as Airbyte keeps it: each shard's encoded {@link TableCursor}. Encoding is the
 * cursor codec's business, so this stays opaque to the protocol adapter.
 */
public record StreamState(Map<String, String> cursorsByShard) {
  public StreamState {
    cursorsByShard = java.util.Collections.unmodifiableMap(new TreeMap<>(cursorsByShard));
  }
}
