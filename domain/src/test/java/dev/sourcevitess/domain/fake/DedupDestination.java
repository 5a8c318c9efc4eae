package dev.sourcevitess.domain.fake;

import dev.sourcevitess.domain.model.StreamId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A destination in append-dedup mode, as Airbyte's are: per primary key it keeps the record with
 * the highest {@code _ab_cdc_cursor}, and drops the row when that record is a delete.
 */
public final class DedupDestination {
  private final List<String> primaryKey;
  private final Map<List<Object>, RecordingOutput.Record> latest = new HashMap<>();

  public DedupDestination(List<String> primaryKey) {
    this.primaryKey = List.copyOf(primaryKey);
  }

  public void apply(List<RecordingOutput.Record> records, StreamId stream) {
    for (RecordingOutput.Record r : records) {
      if (!r.stream().equals(stream)) {
        continue;
      }
      List<Object> key = new ArrayList<>();
      primaryKey.forEach(k -> key.add(r.data().get(k)));
      RecordingOutput.Record had = latest.get(key);
      if (had == null || r.meta().cursor() > had.meta().cursor()) {
        latest.put(key, r);
      }
    }
  }

  /** The rows the destination shows: key → data, deleted rows left out. */
  public Map<List<Object>, Map<String, Object>> rows() {
    Map<List<Object>, Map<String, Object>> out = new HashMap<>();
    latest.forEach((key, r) -> {
      if (r.meta().deletedAt() == null) {
        out.put(key, r.data());
      }
    });
    return out;
  }
}
